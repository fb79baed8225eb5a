export { createGatehouseClient } from './client.js';
export type { GatehouseClient } from './client.js';
export { relayCallback } from './lib/child-window.js';
export type { RelayWindowLike } from './lib/child-window.js';
export {
  AccessDeniedError,
  ConfigurationError,
  GatehouseError,
  InteractionRequiredError,
  IssuerMismatchError,
  LoginRequiredError,
  OAuthError,
  PopupError,
  StateMismatchError,
  TimeoutError,
} from './errors.js';
export type { GatehouseErrorCode } from './errors.js';
export type {
  AccessTokenClaims,
  AuthorizationOptions,
  CheckSessionOptions,
  ChildWindowLike,
  DiscoveryClientOptions,
  GatehouseClientOptions,
  GatehouseEventName,
  GatehouseEvents,
  GatehouseListener,
  GetAccessTokenOptions,
  IdTokenClaims,
  IframeLike,
  LocationLike,
  LockManagerLike,
  LoginOptions,
  LogoutOptions,
  PopupLoginOptions,
  StaticClientOptions,
  StorageLike,
  TokenEventDetail,
  TokenStore,
  TokenStoreName,
  UserInfo,
  WindowLike,
} from './types.js';
