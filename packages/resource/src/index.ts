// Public API of @gatehouse/resource. Everything else in src/ is internal.

export { verifyAccessToken, createVerifier, VERIFIER_DEFAULTS } from './verify-access-token.js';
export type { Verifier, VerifierOptions, VerifyOptions, IssuerOptions } from './verify-access-token.js';

export type { AccessTokenClaims, Actor } from './claims.js';

export { createJwksStore, JWKS_STORE_DEFAULTS } from './jwks-store.js';
export type { JwksStore, JwksStoreOptions } from './jwks-store.js';
export type { FetchLike } from './fetch-jwks.js';

export { INTROSPECTION_DEFAULTS } from './introspection.js';
export type { IntrospectionOptions } from './introspection.js';
export type { IntrospectionFetchLike } from './fetch-introspection.js';

export {
  ResourceError,
  InvalidRequestError,
  InvalidTokenError,
  InsufficientScopeError,
  TemporarilyUnavailableError,
  ClaimCheckError,
} from './errors.js';
export type { ResourceErrorCode } from './errors.js';

export { authenticateRequest } from './authenticate-request.js';
export type {
  AuthenticateRequestOptions,
  AuthenticationResult,
  ErrorBody,
  RequestWithHeaders,
} from './authenticate-request.js';

export { gatehouseAuth } from './fastify.js';
export type { GatehouseAuth, GatehouseAuthOptions, GatehousePreHandler } from './fastify.js';
export { gatehousePlugin } from './fastify-plugin.js';
export type { GatehousePluginOptions } from './fastify-plugin.js';
export { gatehouseExpress } from './express.js';
export type {
  ExpressLikeRequest,
  ExpressLikeResponse,
  GatehouseExpress,
  GatehouseExpressOptions,
  GatehouseMiddleware,
} from './express.js';
export type { AccessPolicy } from './access-policy.js';
