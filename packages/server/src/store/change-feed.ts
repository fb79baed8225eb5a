import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import pg from 'pg';
import type { StatementCache } from './sqlite/statement-cache.js';

/**
 * Tells in-process caches when the cached tables (tenants, scopes, clients, signing keys)
 * changed, wherever the change came from: triggers bump a counter row (migration 0005).
 * Cache entries are stamped with the version they were read at and dropped when it moves.
 */
export interface ChangeFeed {
  /** The current change version; cheap enough to ask on every cache access. */
  version(): number | Promise<number>;
  close(): Promise<void>;
}

const VERSION_SQL = 'SELECT version FROM gh_changes WHERE id = 1';

/**
 * SQLite: the counter is read with one prepared statement (a few microseconds; under WAL it
 * sees every commit of every connection and process at once), at most once per event-loop
 * turn. Before migration 0005 has run there is no
 * counter: nothing is cached then (version NaN never equals itself).
 */
export function sqliteChangeFeed(statements: StatementCache): ChangeFeed & { wrote(): void } {
  // One read per event-loop turn: a request touches three or four caches (realm, client, key),
  // and the many requests handled in one turn would otherwise read the counter again each time.
  // A change committed by another connection or process is seen from the next turn on (well
  // within issue 8's 1 s); one made on this connection at once (`wrote`).
  let memo: number | undefined;
  const forget = () => {
    memo = undefined;
  };
  return {
    wrote: forget,
    version: () => {
      if (memo !== undefined) return memo;
      let version: number;
      try {
        version = (statements.prepare(VERSION_SQL).get() as { version: number } | undefined)?.version ?? Number.NaN;
      } catch {
        version = Number.NaN;
      }
      memo = version;
      setImmediate(forget);
      return version;
    },
    close: async () => {},
  };
}

/** How often PostgreSQL instances poll the counter in case a notification was missed, in milliseconds. */
const POSTGRES_POLL_MS = 500;
/** After a write from this process, how long the counter is read on every access, in milliseconds. */
const LOCAL_WRITE_WINDOW_MS = 1000;

/**
 * PostgreSQL: the triggers NOTIFY `gatehouse_changes`; a dedicated connection LISTENs and moves
 * the version at once. A poll every 500 ms covers a lost connection. For writes made by this
 * very process (the admin API), the counter is read on every access for a second, so the next
 * request sees them without waiting for the notification.
 */
export class PostgresChangeFeed implements ChangeFeed {
  private known = Number.NaN;
  private notified = 0;
  private localWriteUntil = 0;
  private listener: pg.Client | undefined;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly connection: pg.ClientConfig,
  ) {
    this.timer = setInterval(() => void this.refresh(), POSTGRES_POLL_MS);
    this.timer.unref();
    void this.listen();
  }

  /** The Kysely plugin that notices this process's own writes. */
  readonly plugin: KyselyPlugin = watchWrites(() => {
    this.localWriteUntil = Date.now() + LOCAL_WRITE_WINDOW_MS;
  });

  version(): number | Promise<number> {
    if (Number.isNaN(this.known) || Date.now() < this.localWriteUntil) return this.refresh();
    // Each notification makes the version differ from every stamp taken before it.
    return this.known + this.notified * 1e-6;
  }

  private async refresh(): Promise<number> {
    try {
      const { rows } = await this.pool.query<{ version: number }>(VERSION_SQL);
      const version = Number(rows[0]?.version ?? Number.NaN);
      if (version !== this.known) {
        this.known = version;
        this.notified = 0;
      }
    } catch {
      this.known = Number.NaN;
    }
    return this.known + this.notified * 1e-6;
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client(this.connection);
    client.on('notification', () => {
      this.notified++;
    });
    client.on('error', () => {
      if (this.listener === client) this.listener = undefined;
      client.end().catch(() => {});
      if (!this.closed) setTimeout(() => void this.listen(), POSTGRES_POLL_MS).unref();
    });
    try {
      await client.connect();
      await client.query('LISTEN gatehouse_changes');
      this.listener = client;
      // A change between our last read and the LISTEN: read once more.
      await this.refresh();
    } catch {
      client.end().catch(() => {});
      if (!this.closed) setTimeout(() => void this.listen(), POSTGRES_POLL_MS).unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.listener?.end().catch(() => {});
  }
}

const WRITE_KINDS = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'RawNode', 'MergeQueryNode']);

/** A Kysely plugin calling `onWrite` after every statement that may have changed rows. */
function watchWrites(onWrite: () => void): KyselyPlugin {
  const writes = new WeakSet<object>();
  return {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      if (WRITE_KINDS.has(args.node.kind)) writes.add(args.queryId);
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      if (writes.has(args.queryId)) onWrite();
      return args.result;
    },
  };
}
