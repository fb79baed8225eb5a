import { randomUUID } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';

/**
 * Query parameters whose values are safe to log. Every other value (id_token_hint, code,
 * state-carrying request ids, anything new) is replaced, so a secret added to a URL later is
 * hidden by default rather than leaked by default.
 */
const LOGGABLE_QUERY_PARAMETERS = new Set([
  'client_id',
  'response_type',
  'response_mode',
  'scope',
  'redirect_uri',
  'post_logout_redirect_uri',
  'prompt',
  'code_challenge_method',
  'max_age',
  'ui_locales',
  'display',
]);

export const REDACTED = '[REDACTED]';

/**
 * Field names that carry credentials wherever they appear in a log object (pino `redact`):
 * headers, form fields, token responses. pino matches these paths exactly, one level of
 * wildcard deep, so each is listed at the top level and under any object.
 */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  '"set-cookie"',
  'password',
  'client_secret',
  'code_verifier',
  'access_token',
  'refresh_token',
  'id_token',
  'id_token_hint',
  'token',
];

/** The URL with every query value not known to be harmless replaced by [REDACTED]. */
export function redactUrl(url: string): string {
  const question = url.indexOf('?');
  if (question < 0) return url;
  const query = new URLSearchParams(url.slice(question + 1));
  const kept = [...query].map(([name, value]): [string, string] => [
    name,
    LOGGABLE_QUERY_PARAMETERS.has(name) ? value : REDACTED,
  ]);
  // Brackets stay readable: [REDACTED] instead of %5BREDACTED%5D.
  return `${url.slice(0, question)}?${new URLSearchParams(kept).toString().replaceAll('%5BREDACTED%5D', REDACTED)}`;
}

interface RequestLike {
  readonly method: string;
  readonly url: string;
  readonly ip?: string;
  readonly headers: Record<string, unknown>;
}

/**
 * Fastify options for the server's logs: pino at `level`, a random request id on every line of
 * a request (also sent back as `X-Request-Id`), URLs with their query values redacted, and no
 * header logged except the user agent. `stream` is for tests that read the output.
 */
export function loggingOptions(
  level: string,
  stream?: NodeJS.WritableStream,
): Pick<FastifyServerOptions, 'logger' | 'genReqId' | 'childLoggerFactory'> {
  return {
    logger: {
      level,
      ...(stream ? { stream } : {}),
      redact: {
        paths: [...SECRET_FIELDS, ...SECRET_FIELDS.map((field) => `*.${field}`), 'req.headers.*'],
        censor: REDACTED,
      },
      serializers: {
        req: (request: RequestLike) => ({
          method: request.method,
          url: redactUrl(request.url),
          remoteAddress: request.ip,
          userAgent: request.headers['user-agent'],
        }),
      },
    },
    // Logged as `reqId` on every line of the request; never taken from the caller (log forging).
    genReqId: () => randomUUID(),
    childLoggerFactory: lazyChildLoggerFactory,
  };
}

type LogLevelName = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type LogCall = (...args: unknown[]) => void;
type ChildLoggerFactory = NonNullable<FastifyServerOptions['childLoggerFactory']>;

/**
 * Fastify gives every request a pino child logger (its binding: the request id), and making one
 * serializes the bindings and sets up redaction: ~2 % of a token request's CPU (issue 8
 * profiles), spent even when the request logs nothing, which at level `warn` is nearly always.
 * This child is made on the first line the request actually writes; the output is the same.
 */
export const lazyChildLoggerFactory: ChildLoggerFactory = function (this: unknown, logger, bindings, options) {
  let child: ReturnType<typeof logger.child> | undefined;
  // pino's; Fastify's silent logger (logger: false) has none, and then every call goes through.
  const enabled = (target: object, level: string) => {
    const check = (target as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
    return typeof check === 'function' ? check.call(target, level) : true;
  };
  const made = () => {
    child ??= logger.child(bindings, options);
    return child;
  };
  const at =
    (level: LogLevelName): LogCall =>
    (...args) => {
      if (!child && !enabled(logger, level)) return;
      const target = made();
      (target[level] as LogCall).apply(target, args);
    };
  return {
    fatal: at('fatal'),
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    trace: at('trace'),
    silent: () => {},
    child: (childBindings, childOptions) => made().child(childBindings, childOptions),
    isLevelEnabled: (level: string) => enabled(child ?? logger, level),
    get level() {
      return (child ?? logger).level;
    },
    set level(level: string) {
      made().level = level;
    },
  } as ReturnType<typeof logger.child>;
};
