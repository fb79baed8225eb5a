import { describe, expect, it } from 'vitest';
import { KeyManager } from '../src/keys/key-manager.js';
import { migrateToLatest, openDatabase } from '../src/store/database.js';
import { createRepositories } from '../src/store/repositories.js';
import { TestClock } from './support/harness.js';

describe('signing keys shared by several instances', () => {
  it('an instance verifies a token signed with a key another instance rotated in a moment ago', async () => {
    const database = openDatabase(':memory:');
    await migrateToLatest(database.db);
    const repos = createRepositories(database.db);
    await repos.tenants.insert({ id: 'T1', name: 'T', apiDomain: 'https://api.test' }, 1);
    const clock = new TestClock();
    const options = { retiredKeyPublishSeconds: 3600, activeKeyCacheSeconds: 60 };
    const instanceA = new KeyManager(repos.signingKeys, clock, options);
    const instanceB = new KeyManager(repos.signingKeys, clock, options);
    await instanceA.ensureKey('T1');
    const expected = { typ: 'at+jwt', issuer: 'https://issuer.test' };
    const before = await instanceA.signAccessToken('T1', { iss: expected.issuer, sub: 's', exp: clock.now + 60 });
    expect(await instanceB.verify('T1', before, expected)).toMatchObject({ sub: 's' });
    await instanceA.rotate('T1');
    const after = await instanceA.signAccessToken('T1', { iss: expected.issuer, sub: 's2', exp: clock.now + 60 });
    // instanceB's cached key set predates the rotation; the unknown kid makes it reload.
    expect(await instanceB.verify('T1', after, expected)).toMatchObject({ sub: 's2' });
    expect(await instanceB.verify('T1', `${after.slice(0, -4)}AAAA`, expected)).toBeUndefined();
    await database.close();
  });
});
