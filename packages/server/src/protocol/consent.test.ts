import { describe, expect, it } from 'vitest';
import { decideNextStep } from './consent.js';
import type { Client, ConsentMode } from './model.js';
import { READ, seedClient, WRITE } from './testing/fakes.js';

function client(consentMode: ConsentMode): Client {
  return seedClient({ consentMode });
}

describe('decideNextStep', () => {
  it('asks a person who is not signed in to sign in, even for a first-party client with every scope granted', () => {
    expect(
      decideNextStep({ signedIn: false, client: client('skip'), requestedScopes: [READ], grantedScopes: [READ] }),
    ).toBe('login');
  });

  it('asks a signed-in person to sign in again when the request forces it', () => {
    expect(
      decideNextStep({
        signedIn: true,
        client: client('skip'),
        requestedScopes: [READ],
        grantedScopes: [READ],
        forceLogin: true,
      }),
    ).toBe('login');
  });

  it('asks for consent when nothing was granted before', () => {
    expect(
      decideNextStep({ signedIn: true, client: client('required'), requestedScopes: [READ], grantedScopes: [] }),
    ).toBe('consent');
  });

  it('asks for consent when one requested scope was not granted before', () => {
    expect(
      decideNextStep({
        signedIn: true,
        client: client('required'),
        requestedScopes: [READ, WRITE],
        grantedScopes: [READ],
      }),
    ).toBe('consent');
  });

  it('issues a code when every requested scope was granted before', () => {
    expect(
      decideNextStep({
        signedIn: true,
        client: client('required'),
        requestedScopes: [READ],
        grantedScopes: [READ, WRITE],
      }),
    ).toBe('issue_code');
  });

  it('asks again when the request forces consent, even if every scope was granted', () => {
    expect(
      decideNextStep({
        signedIn: true,
        client: client('required'),
        requestedScopes: [READ],
        grantedScopes: [READ],
        forceConsent: true,
      }),
    ).toBe('consent');
  });

  it('issues a code for a first-party (consent skip) client without any grant', () => {
    expect(
      decideNextStep({ signedIn: true, client: client('skip'), requestedScopes: [READ, WRITE], grantedScopes: [] }),
    ).toBe('issue_code');
  });

  it("asks a first-party client's user for consent when the request forces it", () => {
    expect(
      decideNextStep({
        signedIn: true,
        client: client('skip'),
        requestedScopes: [READ],
        grantedScopes: [READ],
        forceConsent: true,
      }),
    ).toBe('consent');
  });

  it('checks sign-in before consent when both are forced', () => {
    expect(
      decideNextStep({
        signedIn: true,
        client: client('required'),
        requestedScopes: [READ],
        grantedScopes: [],
        forceLogin: true,
        forceConsent: true,
      }),
    ).toBe('login');
  });
});
