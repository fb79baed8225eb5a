import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** How a sign-in attempt ended (the outcomes of protocol/sign-in.ts). */
export type SignInOutcome = 'success' | 'invalid_credentials' | 'throttled';

/**
 * The events Gatehouse counts. Routes call one method per event; nothing else in the server
 * knows about Prometheus. Every metric name starts with `gatehouse_`.
 */
export interface Metrics {
  /** The registry to expose (management listener) or read in tests. */
  readonly registry: Registry;
  /** One HTTP request answered: `route` is the route pattern, never the raw URL. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** The token endpoint answered 200 for this grant type. */
  tokenIssued(grantType: string): void;
  signIn(outcome: SignInOutcome): void;
  /** A failed sign-in reached the failure limit: the username is locked for the window. */
  lockout(): void;
  /** A retired refresh token was presented again and its family revoked (RFC 9700 §4.14.2). */
  refreshTokenReuse(): void;
  /** A token revocation request was answered (RFC 7009). */
  revocation(): void;
  /** One database statement took this long; commits are counted apart from other statements. */
  observeQuery(sql: string, seconds: number): void;
  /** One commit wrote this many logical operations (for grouped commits; a plain commit is 1). */
  observeCommitBatch(size: number): void;
}

export interface MetricsOptions {
  /**
   * Also collect the process metrics (CPU, memory, file descriptors, GC, event-loop lag). Only
   * the running server does; tests and admin commands build many contexts per process.
   */
  readonly processMetrics?: boolean;
}

const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const QUERY_BUCKETS_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/** Builds a metrics set on its own registry, so several servers in one process never collide. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) {
    // Includes gatehouse_nodejs_eventloop_lag_seconds and the event-loop delay percentiles.
    collectDefaultMetrics({ register: registry, prefix: 'gatehouse_', eventLoopMonitoringPrecision: 20 });
  }
  const registers = [registry];
  const requests = new Counter({
    name: 'gatehouse_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  });
  const requestDuration = new Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers,
  });
  const tokens = new Counter({
    name: 'gatehouse_tokens_issued_total',
    help: 'Successful token responses, by grant type',
    labelNames: ['grant_type'] as const,
    registers,
  });
  const signIns = new Counter({
    name: 'gatehouse_sign_ins_total',
    help: 'Sign-in attempts, by outcome (success, invalid_credentials, throttled)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const lockouts = new Counter({
    name: 'gatehouse_lockouts_total',
    help: 'Usernames locked out after reaching the failed sign-in limit',
    registers,
  });
  const reuse = new Counter({
    name: 'gatehouse_refresh_token_reuse_total',
    help: 'Refresh-token reuse detections (the token family was revoked)',
    registers,
  });
  const revocations = new Counter({
    name: 'gatehouse_revocations_total',
    help: 'Token revocation requests answered (RFC 7009)',
    registers,
  });
  const queries = new Histogram({
    name: 'gatehouse_db_query_duration_seconds',
    help: 'Database statement latency, by operation (select, insert, update, delete, other)',
    labelNames: ['operation'] as const,
    buckets: QUERY_BUCKETS_SECONDS,
    registers,
  });
  const commits = new Histogram({
    name: 'gatehouse_db_commit_duration_seconds',
    help: 'Database transaction commit latency',
    buckets: QUERY_BUCKETS_SECONDS,
    registers,
  });
  const commitBatch = new Histogram({
    name: 'gatehouse_db_commit_batch_size',
    help: 'Logical writes per database commit',
    buckets: BATCH_BUCKETS,
    registers,
  });
  // Present from the first scrape, so a rate() over them never starts from nothing.
  for (const outcome of ['success', 'invalid_credentials', 'throttled'] as const) signIns.labels(outcome);
  for (const grantType of ['authorization_code', 'refresh_token']) tokens.labels(grantType);
  const queryObservers = new Map<string, (seconds: number) => void>();
  const requestChildren = new Map<
    string,
    { count: ReturnType<typeof requests.labels>; duration: ReturnType<typeof requestDuration.labels> }
  >();

  return {
    registry,
    observeRequest(method, route, status, seconds) {
      // prom-client hashes a label set on every call; keep the children per label set instead.
      const key = `${method} ${status} ${route}`;
      let children = requestChildren.get(key);
      if (children === undefined) {
        const labels = { method, route, status: String(status) };
        children = { count: requests.labels(labels), duration: requestDuration.labels(labels) };
        if (requestChildren.size < 10_000) requestChildren.set(key, children);
      }
      children.count.inc();
      children.duration.observe(seconds);
    },
    tokenIssued: (grantType) => tokens.inc({ grant_type: grantType }),
    signIn: (outcome) => signIns.inc({ outcome }),
    lockout: () => lockouts.inc(),
    refreshTokenReuse: () => reuse.inc(),
    revocation: () => revocations.inc(),
    observeQuery(sql, seconds) {
      // Called for every statement: the label lookup is done once per statement text.
      let observe = queryObservers.get(sql);
      if (observe === undefined) {
        const operation = statementKind(sql);
        const child = operation === 'commit' ? commits : queries.labels({ operation });
        observe = (value) => child.observe(value);
        if (queryObservers.size < 1000) queryObservers.set(sql, observe);
      }
      observe(seconds);
    },
    observeCommitBatch: (size) => commitBatch.observe(size),
  };
}

/** The first keyword of a statement, folded into a few labels (bounded cardinality). */
function statementKind(sql: string): string {
  const keyword = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? '';
  if (keyword === 'commit') return 'commit';
  return ['select', 'insert', 'update', 'delete'].includes(keyword) ? keyword : 'other';
}
