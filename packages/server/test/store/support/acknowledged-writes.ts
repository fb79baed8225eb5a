/**
 * A process that writes under load and prints every write the store acknowledged, the moment
 * it is acknowledged: `code <hash>` after a code insert, `exchange <code hash> <refresh hash>`
 * after a consume that started a refresh family. The durability test kill -9s it mid-stream.
 */
import { randomBytes } from 'node:crypto';
import { migrateToLatest, openDatabase } from '../../../src/store/database.js';
import { createRepositories } from '../../../src/store/repositories.js';

const path = process.argv[2]!;
const database = openDatabase(path);
await migrateToLatest(database.db);
const repos = createRepositories(database.db);
const hash = () => randomBytes(32).toString('hex');
const now = Math.floor(Date.now() / 1000);
process.stdout.write('ready\n');

async function writer(): Promise<never> {
  for (;;) {
    const codeHash = hash();
    await repos.codes.insert({
      codeHash,
      realmId: 'T-U',
      tenantId: 'T',
      clientId: 'c',
      userId: 'u',
      sessionId: null,
      redirectUri: 'https://app.test/cb',
      scopes: ['openid'],
      codeChallenge: 'x',
      nonce: null,
      authTime: now,
      expiresAt: now + 600,
    });
    process.stdout.write(`code ${codeHash}\n`);
    const tokenHash = hash();
    const consumed = await repos.codes.consume(codeHash, now, hash().slice(0, 32), {
      tokenHash,
      familyId: hash().slice(0, 32),
      realmId: 'T-U',
      tenantId: 'T',
      clientId: 'c',
      userId: 'u',
      sessionId: null,
      codeHash,
      scopes: ['openid'],
      authTime: now,
      familyCreatedAt: now,
      familyExpiresAt: now + 3600,
      idleExpiresAt: now + 3600,
      createdAt: now,
      rotatedAt: null,
      revokedAt: null,
      accessTokenJti: null,
      accessTokenExpiresAt: null,
      successorSealed: null,
    });
    if (consumed) process.stdout.write(`exchange ${codeHash} ${tokenHash}\n`);
  }
}

await Promise.all(Array.from({ length: 32 }, writer));
