/** Another process: rotates tenant T1's signing key in the database file given, prints the new kid. */
import { KeyManager } from '../../../src/keys/key-manager.js';
import { openDatabase } from '../../../src/store/database.js';
import { createRepositories } from '../../../src/store/repositories.js';

const database = openDatabase(process.argv[2]!);
const keys = new KeyManager(
  createRepositories(database.db).signingKeys,
  { nowSeconds: () => 1_800_000_000 },
  {
    retiredKeyPublishSeconds: 3600,
    activeKeyCacheSeconds: 60,
    changes: database.changes,
  },
);
const { kid } = await keys.rotate('T1');
await database.close();
process.stdout.write(`${kid}\n`);
