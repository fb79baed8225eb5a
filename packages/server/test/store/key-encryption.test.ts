import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareSigningKeys, reencryptSigningKeys } from '../../src/keys/key-encryption.js';
import { KeyManager } from '../../src/keys/key-manager.js';
import type { DatabaseHandle } from '../../src/store/database.js';
import { createRepositories, type Repositories } from '../../src/store/repositories.js';
import { openTestDatabase, TestClock, testDialects } from '../support/harness.js';

/** Issue 12, deliverable 5: signing keys encrypted at rest, on each database. */
for (const dialect of testDialects('signing keys at rest')) {
  describe(`signing keys encrypted at rest [${dialect}]`, () => {
    let database: DatabaseHandle;
    let cleanup: () => Promise<void>;
    let repos: Repositories;
    const clock = new TestClock();
    const kek = randomBytes(32);
    const manager = (keyEncryptionKey?: Buffer) =>
      new KeyManager(repos.signingKeys, clock, {
        retiredKeyPublishSeconds: 3600,
        activeKeyCacheSeconds: 60,
        ...(keyEncryptionKey ? { keyEncryptionKey } : {}),
      });
    const expected = { typ: 'at+jwt', issuer: 'https://issuer.test' };
    const rawPrivateParts = async () =>
      (await database.db.selectFrom('signing_keys').select(['private_jwk']).execute()).map((row) => row.private_jwk);

    beforeEach(async () => {
      ({ database, cleanup } = await openTestDatabase(dialect));
      repos = createRepositories(database.db);
      await repos.tenants.insert({ id: 'T1', name: 'T', apiDomain: 'https://api.test' }, 1);
    });
    afterEach(async () => {
      await cleanup();
    });

    it('stores new keys sealed when a KEK is set: no private part in the table, and tokens still sign and verify', async () => {
      const keys = manager(kek);
      await keys.ensureKey('T1');
      const rows = await rawPrivateParts();
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(JSON.parse(row)).toMatchObject({ enc: 'gatehouse-a256gcm-v1' });
        expect(JSON.parse(row).d).toBeUndefined();
      }
      const token = await keys.signAccessToken('T1', { iss: expected.issuer, sub: 's', exp: clock.now + 60 });
      expect(await manager().verify('T1', token, expected)).toMatchObject({ sub: 's' });
      const idToken = await keys.sign('T1', { iss: expected.issuer, sub: 's', exp: clock.now + 60 }, 'JWT', 'RS256');
      expect(
        await keys.verify('T1', idToken, { typ: 'JWT', issuer: expected.issuer, algorithms: ['RS256'] }),
      ).toBeDefined();
    });

    it('refuses to use sealed keys without the KEK or with another one, with a plain message', async () => {
      await manager(kek).ensureKey('T1');
      await expect(prepareSigningKeys(repos.signingKeys, undefined)).rejects.toThrow(
        /encrypted at rest, but no key-encryption key is set/,
      );
      await expect(prepareSigningKeys(repos.signingKeys, randomBytes(32))).rejects.toThrow(
        /not the one the signing keys were encrypted with/,
      );
      await expect(manager().signAccessToken('T1', { sub: 's' })).rejects.toThrow(/no key-encryption key is set/);
      expect(await prepareSigningKeys(repos.signingKeys, kek)).toBe(0);
    });

    it('seals keys still in clear at start once a KEK is set, keeping their kids', async () => {
      const plain = manager();
      await plain.ensureKey('T1');
      const token = await plain.signAccessToken('T1', { iss: expected.issuer, sub: 's', exp: clock.now + 60 });
      expect(await prepareSigningKeys(repos.signingKeys, kek)).toBe(2);
      for (const row of await rawPrivateParts()) expect(JSON.parse(row).d).toBeUndefined();
      const sealed = manager(kek);
      expect(await sealed.verify('T1', token, expected)).toMatchObject({ sub: 's' });
      const again = await sealed.signAccessToken('T1', { iss: expected.issuer, sub: 't', exp: clock.now + 60 });
      expect(await plain.verify('T1', again, expected)).toMatchObject({ sub: 't' });
    });

    it('re-encrypts every key, retired ones too, under a new KEK in one go: the old KEK no longer opens them', async () => {
      const keys = manager(kek);
      await keys.ensureKey('T1');
      await keys.rotate('T1');
      const newKek = randomBytes(32);
      expect(await reencryptSigningKeys(repos.signingKeys, kek, newKek)).toMatchObject({ keys: 4 });
      await expect(prepareSigningKeys(repos.signingKeys, kek)).rejects.toThrow(/not the one/);
      expect(await prepareSigningKeys(repos.signingKeys, newKek)).toBe(0);
      expect(await manager(newKek).signAccessToken('T1', { sub: 's' })).toMatch(/^ey/);
      // With the wrong current KEK nothing is changed.
      await expect(reencryptSigningKeys(repos.signingKeys, kek, randomBytes(32))).rejects.toThrow(/not the one/);
      expect(await prepareSigningKeys(repos.signingKeys, newKek)).toBe(0);
    });
  });
}
