/**
 * Group commit for SQLite: write operations from many concurrent requests run in ONE
 * transaction, each inside its own SAVEPOINT (a failing operation is rolled back alone and
 * does not undo its batch mates), then one COMMIT, hence one fsync for all of them. Results are
 * handed back only after that COMMIT returned, so nothing is acknowledged before it is durable.
 *
 * `runBatch` is shipped to the writer thread as source text: it must stay self-contained.
 */
import type { Prepare } from './write-operations.js';

export interface WriteRequest {
  readonly id: number;
  readonly op: string;
  readonly args: unknown;
}

export type WriteOutcome =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { message: string; code?: string } };

/** The connection facts runBatch needs (better-sqlite3's `inTransaction`). */
export interface BatchConnection {
  readonly inTransaction: boolean;
}

export function runBatch(
  connection: BatchConnection,
  prepare: Prepare,
  operations: Record<string, (p: Prepare, args: never) => unknown>,
  batch: readonly WriteRequest[],
): WriteOutcome[] {
  const failure = (id: number, error: unknown): WriteOutcome => ({
    id,
    ok: false,
    error: {
      message: error instanceof Error ? error.message : String(error),
      ...(typeof (error as { code?: unknown })?.code === 'string' ? { code: (error as { code: string }).code } : {}),
    },
  });
  try {
    prepare('BEGIN IMMEDIATE').run();
  } catch (error) {
    return batch.map((request) => failure(request.id, error));
  }
  const outcomes: WriteOutcome[] = [];
  for (const request of batch) {
    const operation = operations[request.op];
    prepare('SAVEPOINT gh_op').run();
    try {
      if (!operation) throw new Error(`unknown write operation ${request.op}`);
      const value = operation(prepare, request.args as never);
      prepare('RELEASE gh_op').run();
      outcomes.push({ id: request.id, ok: true, value });
    } catch (error) {
      if (!connection.inTransaction) {
        // SQLite rolled the whole transaction back itself (I/O error, disk full): nothing of
        // this batch is stored, so nothing of it may be acknowledged.
        return batch.map((r) => failure(r.id, error));
      }
      prepare('ROLLBACK TO gh_op').run();
      prepare('RELEASE gh_op').run();
      outcomes.push(failure(request.id, error));
    }
  }
  try {
    prepare('COMMIT').run();
  } catch (error) {
    if (connection.inTransaction) prepare('ROLLBACK').run();
    return batch.map((request) => failure(request.id, error));
  }
  return outcomes;
}
