export { createGatehouseClient } from './client.js';
export type { GatehouseClient } from './client.js';
export {
  AccessDeniedError,
  ConfigurationError,
  GatehouseError,
  IssuerMismatchError,
  LoginRequiredError,
  OAuthError,
  StateMismatchError,
} from './errors.js';
export type { GatehouseErrorCode } from './errors.js';
export type {
  AccessTokenClaims,
  DiscoveryClientOptions,
  GatehouseClientOptions,
  GatehouseEventName,
  GatehouseEvents,
  GatehouseListener,
  GetAccessTokenOptions,
  IdTokenClaims,
  LocationLike,
  LockManagerLike,
  LoginOptions,
  LogoutOptions,
  StaticClientOptions,
  StorageLike,
  TokenEventDetail,
  TokenStore,
  TokenStoreName,
  UserInfo,
} from './types.js';
