import './route-config.js';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  InsufficientScope,
  InvalidRequest,
  InvalidToken,
  OAuthError,
  ServerError,
  TemporarilyUnavailable,
} from '../protocol/errors.js';
import { InvalidClientBasic } from '../protocol/client-authentication.js';
import { isDatabaseUnavailable } from '../store/unavailable.js';
import { renderMessagePage } from './pages/message.js';
import { serverPageContext } from './pages/page-context.js';
import { UnknownRealm } from './realm.js';
import { setNoStore, setPageHeaders } from './security.js';

/** Retry-After on a 503 while the database is away: the pool reconnects within seconds. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The one place OAuth errors become HTTP responses for JSON endpoints (RFC 6749 §5.2,
 * RFC 6750 §3). Anything that is not an OAuthError is a bug or an outage: logged in full,
 * answered as a bland server_error, never with a stack trace.
 */
export function sendOAuthError(reply: FastifyReply, error: OAuthError, status: number = error.status): FastifyReply {
  setNoStore(reply);
  if (error instanceof TemporarilyUnavailable) reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
  if (error instanceof InvalidClientBasic) reply.header('WWW-Authenticate', 'Basic realm="gatehouse", charset="UTF-8"');
  return reply.code(status).send({ error: error.error, error_description: error.description });
}

/** RFC 6750 §3: a quoted-string auth-param value; characters outside its grammar are dropped. */
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '')}"`;
}

/**
 * The answer of a bearer-token protected resource (userinfo) that refuses a request, with its
 * RFC 6750 §3 `WWW-Authenticate` challenge: without an error code when no token was sent
 * (§3.1), with `error` and `error_description` for invalid_token, and `scope` for
 * insufficient_scope. `error` undefined means no token was sent.
 */
export function sendBearerError(
  reply: FastifyReply,
  request: FastifyRequest,
  issuer: string,
  error: unknown | undefined,
): FastifyReply {
  if (error === undefined) {
    setNoStore(reply);
    reply.header('WWW-Authenticate', `Bearer realm=${quoted(issuer)}`);
    return reply.code(401).send({ error_description: 'an access token is required' });
  }
  const oauthError = toOAuthError(error, request);
  if (oauthError instanceof InvalidToken || oauthError instanceof InsufficientScope) {
    const scope = oauthError instanceof InsufficientScope ? ', scope="openid"' : '';
    reply.header(
      'WWW-Authenticate',
      `Bearer realm=${quoted(issuer)}, error="${oauthError.error}", error_description=${quoted(oauthError.description)}${scope}`,
    );
  }
  return sendOAuthError(reply, oauthError);
}

/** 405 with an Allow header (RFC 9110 §15.5.6), as an invalid_request. */
export function sendMethodNotAllowed(reply: FastifyReply, allowed: readonly string[]): FastifyReply {
  reply.header('Allow', allowed.join(', '));
  const error = new InvalidRequest(`use ${allowed.filter((m) => m !== 'OPTIONS').join(' or ')}`);
  return sendOAuthError(reply, error, 405);
}

/** Turns any thrown value into an OAuthError, logging what the client must not see. */
export function toOAuthError(error: unknown, request: FastifyRequest): OAuthError {
  if (error instanceof OAuthError) {
    request.log.info({ oauthError: error.error, detail: error.detail }, error.description);
    return error;
  }
  const fastifyError = error as Partial<FastifyError>;
  // Fastify's own client errors: unsupported media type, malformed or oversized bodies.
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    request.log.info({ code: fastifyError.code }, fastifyError.message ?? 'bad request');
    return new InvalidRequest(
      fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported content type' : 'malformed request',
    );
  }
  if (isDatabaseUnavailable(error)) {
    // An outage, not a bug: the client may retry; the pool reconnects by itself.
    request.log.warn({ err: error }, 'database unavailable');
    return new TemporarilyUnavailable('the service is briefly unavailable; try again in a few seconds');
  }
  request.log.error({ err: error }, 'unexpected error');
  return new ServerError('the server could not handle the request');
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof UnknownRealm) return sendNotFound(request, reply);
  const oauthError = toOAuthError(error, request);
  if (request.routeOptions.config?.html) {
    const pc = serverPageContext(request);
    setPageHeaders(reply, [], pc);
    if (oauthError instanceof TemporarilyUnavailable) {
      // The database is away (issue 12, found 8): a plain "try again" page.
      reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
      return reply.code(503).send(renderMessagePage(pc, pc.t('error.unavailable_title'), pc.t('error.unavailable')));
    }
    const serverSide = oauthError.status >= 500;
    return reply
      .code(oauthError.status)
      .send(
        renderMessagePage(
          pc,
          pc.t(serverSide ? 'error.server_title' : 'error.invalid_title'),
          serverSide ? pc.t('error.server') : oauthError.description,
        ),
      );
  }
  return sendOAuthError(reply, oauthError);
}

export function sendNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.routeOptions.config?.html) {
    const pc = serverPageContext(request);
    setPageHeaders(reply, [], pc);
    return reply.code(404).send(renderMessagePage(pc, pc.t('error.not_found_title'), pc.t('error.not_found')));
  }
  return reply.code(404).send({ error: 'not_found', error_description: 'no such resource' });
}
