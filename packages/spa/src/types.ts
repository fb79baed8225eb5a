import type { GatehouseError } from './errors.js';

/** The part of the Web Storage API the SDK uses; `sessionStorage` and `localStorage` fit. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Where the signed-in session (access tokens, refresh token) is kept. Values are opaque strings
 * owned by the SDK. Methods may be async, e.g. for an IndexedDB-backed store.
 */
export interface TokenStore {
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  set(key: string, value: string): void | Promise<void>;
  remove(key: string): void | Promise<void>;
}

/** The built-in token stores; see {@link GatehouseClientOptions} `tokenStore`. */
export type TokenStoreName = 'memory' | 'session' | 'local' | 'indexeddb';

/**
 * The part of the Web Locks API the SDK uses (`navigator.locks`). The callback runs while no other
 * holder of a lock with the same name, in any tab of the origin, runs its own.
 */
export interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/** The part of `window.location` the SDK uses. */
export interface LocationLike {
  readonly href: string;
  assign(url: string): void;
}

/** The part of a window opened by the SDK (popup, iframe) it uses. */
export interface ChildWindowLike {
  /** Readable only while the window shows a page of this origin (reading throws otherwise); settable always. */
  location: { href: string };
  readonly closed: boolean;
  close(): void;
}

/** The part of a hidden `<iframe>` element the SDK uses. */
export interface IframeLike {
  src: string;
  readonly contentWindow: ChildWindowLike | null;
  setAttribute(name: string, value: string): void;
  remove(): void;
}

/** The part of `window` used by `loginWithPopup()` and `checkSession()`'s hidden iframe. */
export interface WindowLike {
  readonly location: { readonly origin: string };
  open(url: string, target: string, features: string): ChildWindowLike | null;
  addEventListener(
    type: 'message',
    listener: (event: { origin: string; source: unknown; data: unknown }) => void,
  ): void;
  removeEventListener(
    type: 'message',
    listener: (event: { origin: string; source: unknown; data: unknown }) => void,
  ): void;
  readonly document: {
    createElement(tag: 'iframe'): IframeLike;
    readonly body: { appendChild(node: IframeLike): unknown };
  };
}

interface CommonOptions {
  /** The client ID from the client application's metadata. */
  clientId: string;
  /** Where Gatehouse sends the browser back to; must be registered for the client, exactly. */
  redirectUri: string;
  /** Space-separated scopes requested by `loginWithRedirect()` unless it is given its own. */
  scope: string;
  /**
   * Where the session is kept. Default is `'memory'`: lost on reload, out of reach of other tabs,
   * and the hardest for injected scripts to find. `'indexeddb'` (shared by every tab of the
   * origin), `'session'` (sessionStorage, per tab) and `'local'` (localStorage) survive reloads but
   * are readable by any script running on the page, so an XSS flaw leaks the refresh token.
   * To share one session between tabs use `'indexeddb'`: its writes are visible to the next tab
   * to take the refresh lock. `'local'` is not safe for that in Chromium, where a localStorage
   * write may reach another tab only after that tab has taken the lock, so both spend the same
   * refresh token and the server revokes the session; use `'local'` with one tab at a time only.
   */
  tokenStore?: TokenStoreName | TokenStore;
  /**
   * Seconds before its expiry at which a cached access token is no longer handed out but
   * refreshed. Default is 30 (30 seconds).
   */
  leewaySeconds?: number;
  /** Fetch implementation for discovery, token, revocation, and userinfo requests. Default is global `fetch`. */
  fetch?: typeof fetch;
  /** Where pending sign-ins (PKCE verifier, state) wait for the callback. Default is `sessionStorage`. */
  storage?: StorageLike;
  /**
   * Lock manager serialising refreshes across tabs. Default is `navigator.locks` when present;
   * `null` disables cross-tab locking (refreshes are still serialised within the page).
   */
  locks?: LockManagerLike | null;
  /** Used to navigate and to read the callback URL. Default is `window.location`. */
  location?: LocationLike;
  /** Clock in milliseconds since the epoch. Default is `Date.now`. */
  now?: () => number;
  /** Opens popups and hidden iframes, receives their messages. Default is the global `window`. */
  window?: WindowLike;
}

/** Configure from the issuer's metadata (`${issuer}/.well-known/openid-configuration`). */
export interface DiscoveryClientOptions extends CommonOptions {
  /** The realm's issuer, e.g. `https://auth.example.com/system/auth/TENANT-U`. */
  issuer: string;
  authorizationUrl?: undefined;
  tokenUrl?: undefined;
}

/**
 * Configure from the "Authorization URL" and "Token URL" listed in the client application's
 * metadata, without a discovery request.
 */
export interface StaticClientOptions extends CommonOptions {
  /** e.g. `https://auth.example.com/system/auth/TENANT-U/oauth2/authorize` */
  authorizationUrl: string;
  /** e.g. `https://auth.example.com/system/auth/TENANT-U/oauth2/token` */
  tokenUrl: string;
  /**
   * The issuer the callback's `iss` parameter must equal (RFC 9207). Default: `authorizationUrl`
   * with its trailing `/oauth2/authorize` removed; any other authorization URL needs this option.
   */
  issuer?: string;
  /** RFC 7009 revocation endpoint; without it `logout()` does not revoke the refresh token. */
  revocationUrl?: string;
  /** RP-initiated logout endpoint; without it `logout()` only clears the local session. */
  endSessionUrl?: string;
  /** OpenID Connect userinfo endpoint; without it `fetchUserInfo()` throws a `ConfigurationError`. */
  userinfoUrl?: string;
}

export type GatehouseClientOptions = DiscoveryClientOptions | StaticClientOptions;

/** What a sign-in asks of Gatehouse beyond the client's defaults (OIDC Core §3.1.2.1). */
export interface AuthorizationOptions {
  /** Scopes for this sign-in instead of the client's default `scope`. */
  scope?: string;
  /** Scopes added to `scope` (or the default), e.g. `['offline_access']`. */
  extraScopes?: string | readonly string[];
  /**
   * `login` asks for the password even when signed in at Gatehouse; `consent` shows the consent
   * page even when the scopes were granted before; `none` shows no page at all and fails with
   * `login_required` / `interaction_required` instead (what `checkSession()` uses).
   */
  prompt?: 'none' | 'login' | 'consent';
  /** Pre-fills the username on Gatehouse's sign-in page (`login_hint`). */
  loginHint?: string;
  /**
   * Maximum age of the Gatehouse sign-in, in seconds (`max_age`): older ones ask for the password
   * again. With `openid`, the ID token's `auth_time` is checked against it.
   */
  maxAge?: number;
  /** Preferred languages of Gatehouse's pages, most preferred first (`ui_locales`), e.g. `['fr', 'en']`. */
  uiLocales?: string | readonly string[];
}

export interface LoginOptions<AppState = unknown> extends AuthorizationOptions {
  /** Any JSON-serialisable value, returned by `handleRedirectCallback()` (e.g. the route to restore). */
  appState?: AppState;
}

export interface PopupLoginOptions extends AuthorizationOptions {
  /**
   * A window you opened yourself (e.g. `window.open('', 'gatehouse', 'popup')` in a click
   * handler before some await); default: the SDK opens one at once, 500×650 pixels.
   */
  popup?: ChildWindowLike;
  /** Seconds to wait for the person to finish; default: no limit (closing the window ends the wait). */
  timeoutSeconds?: number;
}

export interface CheckSessionOptions extends Omit<AuthorizationOptions, 'prompt'> {
  /**
   * Whether to ask Gatehouse in a hidden iframe (`prompt=none`) when the token store holds no
   * usable session. Default: when Gatehouse looks same-site with this page (same scheme and
   * registrable domain, ports ignored); the browser would not send its session cookie otherwise.
   */
  iframe?: boolean;
  /** Seconds to wait for the hidden iframe's answer. Default is 10 (10 seconds). */
  timeoutSeconds?: number;
}

export interface GetAccessTokenOptions {
  /**
   * A narrower set of the granted scopes. The token for it is obtained with the refresh token
   * (RFC 6749 §6) and cached separately. Default: the scopes granted at sign-in.
   */
  scope?: string;
  /**
   * Refresh now, even when the cached access token is not yet due: for an API call answered 401
   * `invalid_token` (e.g. the token was revoked). Serialised like any refresh, so when another call
   * or tab replaced the token meanwhile, that newer token is returned instead of refreshing again.
   * Needs a refresh token: without one it throws `LoginRequiredError`. Default is false.
   */
  forceRefresh?: boolean;
}

export interface LogoutOptions {
  /**
   * Where Gatehouse should send the browser after ending its session (`post_logout_redirect_uri`);
   * it must be registered for the client, exactly.
   */
  returnTo?: string;
  /**
   * Sent with `returnTo` and given back on it as `?state=…` (OpenID Connect RP-Initiated Logout
   * §2). Default is a fresh random value; pass your own to recognise the return.
   */
  state?: string;
}

/**
 * Claims of a Gatehouse access token (RFC 9068), decoded but NOT verified: fine for display and
 * for deciding what UI to show, never for authorization decisions (the API verifies the token).
 */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  scope: string;
  client_id: string;
  tenant_id?: string;
  actor?: string;
  [claim: string]: unknown;
}

/**
 * Claims of the ID token Gatehouse issued at sign-in when `openid` was requested. The SDK checked
 * them on the code exchange (issuer, audience = this client, expiry, `nonce`, ES256 header) before
 * keeping the token; see the README for what is and is not verified.
 */
export interface IdTokenClaims {
  iss: string;
  /** The user id, the same as the access token's `sub`. */
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  /** When the user last authenticated at Gatehouse, in seconds since the epoch. */
  auth_time?: number;
  nonce?: string;
  at_hash?: string;
  [claim: string]: unknown;
}

/** The userinfo endpoint's answer (OIDC Core §5.3.2); `sub` is checked against the ID token's. */
export interface UserInfo {
  sub: string;
  preferred_username?: string;
  email?: string;
  email_verified?: boolean;
  [claim: string]: unknown;
}

export interface TokenEventDetail {
  /** The scope the token was requested for ('' means the scopes granted at sign-in). */
  requestedScope: string;
  /** Expiry of the token, in milliseconds since the epoch, or null when the server did not say. */
  expiresAt: number | null;
}

export interface GatehouseEvents {
  /** `getAccessToken()` found the cached token inside the leeway window and will refresh it. */
  tokenExpiring: TokenEventDetail;
  /** This page obtained a new access token with the refresh token. */
  tokenRefreshed: TokenEventDetail;
  /** The session ended: `logout()` was called, or the server refused the refresh token. */
  loggedOut: { reason: 'logout' | 'session_expired' };
  /** A refresh failed; with `invalid_grant` the session is over and `loggedOut` follows. */
  refreshFailed: { requestedScope: string; error: GatehouseError };
  /** A session was established: `how` is `redirect`, `popup`, `iframe` (checkSession) or `store` (checkSession found one). */
  signedIn: { how: 'redirect' | 'popup' | 'iframe' | 'store' };
  /** A failure the SDK could not throw to a caller, e.g. a failed best-effort revocation. */
  error: GatehouseError;
}

export type GatehouseEventName = keyof GatehouseEvents;
export type GatehouseListener<E extends GatehouseEventName> = (detail: GatehouseEvents[E]) => void;
