import { runBatch } from './group-commit.js';
import { SQLITE_WRITE_OPERATIONS } from './write-operations.js';

/**
 * The writer thread's program, as source text. It is assembled from the very functions the
 * in-memory writer calls (runBatch and the operations), so both run the same code, and it
 * works whether this module runs compiled (dist/) or from TypeScript source under the tests.
 */
export function writerThreadSource(): string {
  const operations = Object.entries(SQLITE_WRITE_OPERATIONS)
    .map(([name, fn]) => `${JSON.stringify(name)}: ${fn.toString()}`)
    .join(',\n');
  return `
'use strict';
// Helpers a TypeScript transform may reference from function bodies.
var __name = (target) => target;
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqliteModule);
const sqlite = new Database(workerData.path);
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = ' + workerData.synchronous);
sqlite.pragma('busy_timeout = 5000');
sqlite.pragma('foreign_keys = ON');
// Checkpoint every ~12 MB of WAL instead of every ~4 MB: a hot index page rewritten by many
// batches is copied back to the database file once per checkpoint, not once per 1000 frames.
// Measured (returning flow, c=32, 30 s): 1000 frames 1879/s p99 30 ms; 3000: 2098/s p99 37 ms;
// 10000: 2034/s p99 48 ms (a longer checkpoint stalls the commits queued behind it).
sqlite.pragma('wal_autocheckpoint = 3000');
// Statement journals (a multi-row change inside a SAVEPOINT) in memory, not in temp files.
sqlite.pragma('temp_store = MEMORY');
const statements = new Map();
const prepare = (sql) => {
  let statement = statements.get(sql);
  if (statement === undefined) {
    statement = sqlite.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
};
const runBatch = ${runBatch.toString()};
const operations = {
${operations}
};
let queue = [];
let scheduled = false;
// Requests that arrive while a batch commits wait in the port; they are all delivered before
// setImmediate fires, so they form the next batch together.
function flush() {
  scheduled = false;
  const batch = queue;
  queue = [];
  const started = performance.now();
  const outcomes = runBatch(sqlite, prepare, operations, batch);
  parentPort.postMessage({ outcomes, seconds: (performance.now() - started) / 1000 });
}
parentPort.on('message', (message) => {
  if (message === 'close') {
    if (queue.length > 0) flush();
    sqlite.close();
    process.exit(0);
  }
  for (const request of message) queue.push(request);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
`;
}
