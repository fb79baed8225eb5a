import { describe, expect, it } from 'vitest';
import { ConsentRequired, InvalidRequest, LoginRequired } from '../errors.js';
import { checkPrompt, promptNoneError } from './prompt.js';

describe('prompt (OIDC Core §3.1.2.1)', () => {
  it('accepts none, login and consent, and treats an empty or missing prompt as none given', () => {
    expect(checkPrompt('none')).toBe('none');
    expect(checkPrompt('login')).toBe('login');
    expect(checkPrompt('consent')).toBe('consent');
    expect(checkPrompt(undefined)).toBeUndefined();
    expect(checkPrompt('')).toBeUndefined();
  });

  it('refuses other values and combinations with invalid_request', () => {
    expect(() => checkPrompt('select_account')).toThrow(InvalidRequest);
    expect(() => checkPrompt('login consent')).toThrow(InvalidRequest);
  });

  it('turns a step that needs a page into login_required or consent_required under prompt=none', () => {
    expect(promptNoneError('login')).toBeInstanceOf(LoginRequired);
    expect(promptNoneError('consent')).toBeInstanceOf(ConsentRequired);
    expect(promptNoneError('issue_code')).toBeUndefined();
  });
});
