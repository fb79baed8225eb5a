import * as oauth from 'oauth4webapi';
import {
  ConfigurationError,
  IssuerMismatchError,
  LoginRequiredError,
  OAuthError,
  StateMismatchError,
} from './errors.js';
import { createAuthorizationRequest } from './lib/authorization-request.js';
import { resolveConfig } from './lib/config.js';
import { createEmitter } from './lib/emitter.js';
import { decodeJwtPayload } from './lib/jwt.js';
import { authorizationError, toGatehouseError } from './lib/map-error.js';
import { discoverMetadata, httpOptions, staticMetadata } from './lib/metadata.js';
import { buildEndSessionUrl } from './lib/openid.js';
import { createRefreshLock } from './lib/refresh-lock.js';
import { createSessionStore, normalizeScope, type CachedAccessToken, type Session } from './lib/session-store.js';
import { createTransactionStore, type PendingTransaction } from './lib/transactions.js';
import { createWindowSignIns } from './lib/window-sign-in.js';
import type {
  AccessTokenClaims,
  CheckSessionOptions,
  GatehouseClientOptions,
  GatehouseEventName,
  GatehouseListener,
  GetAccessTokenOptions,
  IdTokenClaims,
  LoginOptions,
  LogoutOptions,
  PopupLoginOptions,
  UserInfo,
} from './types.js';

/** A configured Gatehouse sign-in client; see {@link createGatehouseClient}. */
export interface GatehouseClient {
  /** The issuer callbacks must come from (RFC 9207). */
  readonly issuer: string;
  /** Starts a sign-in and returns the authorization URL, for custom navigation (popup, tests). */
  buildAuthorizeUrl<AppState = unknown>(options?: LoginOptions<AppState>): Promise<string>;
  /** Starts a sign-in and sends the browser to Gatehouse. */
  loginWithRedirect<AppState = unknown>(options?: LoginOptions<AppState>): Promise<void>;
  /** Completes a sign-in on the redirect URI: validates the callback and redeems the code. */
  handleRedirectCallback<AppState = unknown>(url?: string): Promise<{ appState: AppState | undefined }>;
  /**
   * Signs in in a popup window; call it from a click handler. Rejects with `popup_blocked`,
   * `popup_closed`, `timeout`, or the sign-in's own errors. The redirect URI page must call
   * {@link relayCallback} first thing (or leave its URL alone until the popup is closed).
   */
  loginWithPopup(options?: PopupLoginOptions): Promise<void>;
  /**
   * Restores a session without showing any page: from the token store (refreshing if due), else
   * with a `prompt=none` request in a hidden iframe when Gatehouse is same-site. Resolves when
   * signed in; rejects with `LoginRequiredError`, `InteractionRequiredError`, `TimeoutError`, …
   * Never navigates the page, so it cannot loop.
   */
  checkSession(options?: CheckSessionOptions): Promise<void>;
  /** A valid access token: cached, refreshed when due (or at once with `forceRefresh`); `LoginRequiredError` when none. */
  getAccessToken(options?: GetAccessTokenOptions): Promise<string>;
  /** Whether there is a session that can still produce an access token. */
  isAuthenticated(): Promise<boolean>;
  /** The current access token's claims, decoded but not verified; undefined when signed out. */
  getClaims(): Promise<AccessTokenClaims | undefined>;
  /** The ID token's claims checked at sign-in; undefined when signed out or signed in without `openid`. */
  getUser(): Promise<IdTokenClaims | undefined>;
  /** Asks the userinfo endpoint about the signed-in user, with the access token; needs `openid`. */
  fetchUserInfo(): Promise<UserInfo>;
  /** Clears the session, revokes the refresh token, and ends the Gatehouse session if supported. */
  logout(options?: LogoutOptions): Promise<void>;
  /** Subscribes to an event; returns a function that unsubscribes. */
  on<E extends GatehouseEventName>(name: E, listener: GatehouseListener<E>): () => void;
  off<E extends GatehouseEventName>(name: E, listener: GatehouseListener<E>): void;
}

/**
 * Creates a client for one Gatehouse realm. With `issuer`, the endpoints come from discovery
 * (`${issuer}/.well-known/openid-configuration`); with `authorizationUrl` and `tokenUrl`, from
 * those URLs, and the issuer is derived from the authorization URL unless given. Options are
 * validated here, so a misconfiguration fails at start-up with a `ConfigurationError`.
 */
/** The algorithms Gatehouse signs ID tokens with (issue 12: RS256 default, ES256 per client). */
const ID_TOKEN_ALGORITHMS: readonly string[] = ['RS256', 'ES256'];

export async function createGatehouseClient(options: GatehouseClientOptions): Promise<GatehouseClient> {
  const config = resolveConfig(options);
  const as =
    options.authorizationUrl !== undefined || options.tokenUrl !== undefined
      ? staticMetadata(options as Extract<GatehouseClientOptions, { tokenUrl: string }>)
      : await discoverMetadata(options.issuer, config.fetch);

  const { clientId, fetch, location, now } = config;
  /**
   * Gatehouse signs ID tokens with RS256 (the OpenID Connect default for a client that names
   * none) or ES256 (per client), so exactly those two are accepted whatever the metadata says
   * (OIDC Core §3.1.3.7 step 7; oauth4webapi takes a list here though its type says string).
   * oauth4webapi checks `exp` against `Date.now()`; the skew makes it use the `now` option
   * instead, like every other time decision of the SDK.
   */
  const oauthClient = (): oauth.Client => ({
    client_id: clientId,
    id_token_signed_response_alg: ID_TOKEN_ALGORITHMS as unknown as string,
    [oauth.clockSkew]: Math.floor(now() / 1000) - Math.floor(Date.now() / 1000),
  });
  // Public client: the token endpoint identifies it by client_id alone (OAuth 2.1 §2.4).
  const clientAuth = oauth.None();
  const tokenEndpoint = as.token_endpoint as string;
  const storeKey = `gatehouse.session.${clientId}.${as.issuer}`;
  const transactions = createTransactionStore(config.storage, clientId);
  const sessions = createSessionStore(config.tokenStore, storeKey);
  const withRefreshLock = createRefreshLock(config.locks, storeKey);
  const events = createEmitter();
  const leewayMs = config.leewaySeconds * 1000;

  const isExpired = (token: CachedAccessToken) => token.expiresAt !== null && token.expiresAt <= now();
  const isFresh = (token: CachedAccessToken) => token.expiresAt === null || token.expiresAt - leewayMs > now();

  /** `expires_in` counts from when the request was sent, so `startedAt` is taken before it. */
  function cacheToken(tokens: oauth.TokenEndpointResponse, scope: string, startedAt: number): CachedAccessToken {
    const exp = decodeJwtPayload(tokens.access_token)?.exp;
    const expiresAt =
      typeof tokens.expires_in === 'number'
        ? startedAt + tokens.expires_in * 1000
        : typeof exp === 'number'
          ? exp * 1000
          : null;
    return { accessToken: tokens.access_token, expiresAt, scope };
  }

  /** RFC 9207 §2.4: reject a callback whose `iss` is absent (when the server sends it) or foreign. */
  function checkIssuer(params: URLSearchParams): void {
    const values = params.getAll('iss');
    if (values.length > 1) throw new IssuerMismatchError('the callback has more than one iss parameter');
    const [iss] = values;
    if (iss === undefined) {
      if (as.authorization_response_iss_parameter_supported) {
        throw new IssuerMismatchError(
          `the callback has no iss parameter, but ${as.issuer} always sends one (RFC 9207)`,
        );
      }
    } else if (iss !== as.issuer) {
      throw new IssuerMismatchError(`the callback comes from issuer ${iss}, expected ${as.issuer}`);
    }
  }

  const requestFor = (options: Parameters<typeof createAuthorizationRequest>[2], statePrefix?: string) =>
    createAuthorizationRequest(
      as.authorization_endpoint as string,
      { clientId, redirectUri: config.redirectUri, scope: config.scope, now: now() },
      options,
      statePrefix,
    );

  async function buildAuthorizeUrl<AppState>(options: LoginOptions<AppState> = {}): Promise<string> {
    const { url, tx } = await requestFor(options);
    transactions.save({ ...tx, appState: options.appState });
    return url;
  }

  /** Checks an authorization response for `tx` (RFC 9207 `iss`, `error`), redeems the code, keeps the session. */
  async function completeAuthorization(
    params: URLSearchParams,
    tx: PendingTransaction,
    how: 'redirect' | 'popup' | 'iframe',
  ): Promise<void> {
    checkIssuer(params);
    const error = params.get('error');
    if (error) throw authorizationError(error, params.get('error_description') ?? undefined);

    const startedAt = now();
    let tokens: oauth.TokenEndpointResponse;
    try {
      const validated = oauth.validateAuthResponse(as, oauthClient(), params, tx.state);
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        oauthClient(),
        clientAuth,
        validated,
        tx.redirectUri,
        tx.codeVerifier,
        httpOptions(tokenEndpoint, fetch),
      );
      // With a nonce the ID token is required and must echo it (and, with max_age, carry a recent
      // enough auth_time); without, an ID token that comes anyway is still checked and must carry no nonce.
      tokens = await oauth.processAuthorizationCodeResponse(
        as,
        oauthClient(),
        response,
        tx.nonce ? { expectedNonce: tx.nonce, requireIdToken: true, maxAge: tx.maxAge } : undefined,
      );
    } catch (err) {
      throw toGatehouseError(err);
    }
    const scope = tokens.scope ?? tx.scope;
    const session: Session = {
      scope,
      refreshToken: tokens.refresh_token,
      idToken: tokens.id_token,
      tokens: { '': cacheToken(tokens, scope, startedAt) },
    };
    // Under the refresh lock, so a refresh of the previous session cannot overwrite this one.
    await withRefreshLock(() => sessions.write(session));
    events.emit('signedIn', { how });
  }

  async function handleRedirectCallback<AppState>(
    callbackUrl: string = location.href,
  ): Promise<{ appState: AppState | undefined }> {
    const params = new URL(callbackUrl).searchParams;
    const states = params.getAll('state');
    if (states.length !== 1 || !states[0]) throw new StateMismatchError('the callback has no single state parameter');
    // Taking the transaction deletes it: whatever happens next, this callback cannot be replayed.
    const tx = transactions.take(states[0]);
    if (!tx) {
      throw new StateMismatchError(
        'the callback state matches no pending sign-in in this tab: it was already handled, forged, or started in another tab',
      );
    }
    await completeAuthorization(params, tx, 'redirect');
    return { appState: tx.appState as AppState | undefined };
  }

  const { loginWithPopup, checkSession } = createWindowSignIns({
    window: config.window,
    redirectUri: config.redirectUri,
    authorizationEndpoint: as.authorization_endpoint as string,
    startAuthorization: requestFor,
    completeAuthorization,
    hasStoredSession: async () => (await sessions.read()) !== undefined,
    useStoredSession: async () => {
      await getAccessToken();
      events.emit('signedIn', { how: 'store' });
    },
  });

  /** '' for the scopes granted at sign-in, else the normalised narrower scope. */
  function scopeKey(session: Session, scope: string | undefined): string {
    if (scope === undefined) return '';
    const normalized = normalizeScope(scope);
    return normalized === normalizeScope(session.scope) ? '' : normalized;
  }

  /**
   * Runs under the refresh lock; re-reads the store, which another tab may have just updated.
   * `replacing` is the access token a forced refresh must not hand out again; a different one in
   * the store was obtained meanwhile by another call or tab and is returned as it is.
   */
  async function refreshLocked(key: string, replacing?: string): Promise<string> {
    const session = await sessions.read();
    if (!session) throw new LoginRequiredError('not signed in');
    const cached = session.tokens[key];
    const usable = cached !== undefined && cached.accessToken !== replacing;
    if (usable && isFresh(cached)) return cached.accessToken;
    if (!session.refreshToken) {
      if (usable && !isExpired(cached)) return cached.accessToken;
      throw new LoginRequiredError(
        !cached
          ? `a token for scope "${key}" needs a refresh token; sign in with that scope`
          : usable
            ? 'the access token expired and the server issued no refresh token'
            : 'the access token cannot be replaced: the server issued no refresh token',
      );
    }
    const startedAt = now();
    let tokens: oauth.TokenEndpointResponse;
    try {
      const response = await oauth.refreshTokenGrantRequest(as, oauthClient(), clientAuth, session.refreshToken, {
        ...httpOptions(tokenEndpoint, fetch),
        additionalParameters: key ? { scope: key } : undefined,
      });
      tokens = await oauth.processRefreshTokenResponse(as, oauthClient(), response);
    } catch (err) {
      const error = toGatehouseError(err);
      events.emit('refreshFailed', { requestedScope: key, error });
      // RFC 6749 §5.2: the refresh token is expired, revoked, or already used; the session is over.
      if (error instanceof OAuthError && error.error === 'invalid_grant') {
        await sessions.clear();
        events.emit('loggedOut', { reason: 'session_expired' });
        throw new LoginRequiredError('the server refused the refresh token; sign in again', { cause: error });
      }
      throw error;
    }
    const token = cacheToken(tokens, tokens.scope ?? (key || session.scope), startedAt);
    // The ID token from sign-in is kept: it holds that sign-in's nonce and auth_time, and
    // Gatehouse sends none on refresh.
    await sessions.write({
      ...session,
      // Rotation (OAuth 2.1 §4.3.1): the old refresh token is spent once a new one is issued.
      refreshToken: tokens.refresh_token ?? session.refreshToken,
      tokens: { ...session.tokens, [key]: token },
    });
    events.emit('tokenRefreshed', { requestedScope: key, expiresAt: token.expiresAt });
    return token.accessToken;
  }

  async function getAccessToken({ scope, forceRefresh = false }: GetAccessTokenOptions = {}): Promise<string> {
    const session = await sessions.read();
    if (!session) throw new LoginRequiredError('not signed in');
    const key = scopeKey(session, scope);
    const cached = session.tokens[key];
    if (forceRefresh) return withRefreshLock(() => refreshLocked(key, cached?.accessToken));
    if (cached && isFresh(cached)) return cached.accessToken;
    if (cached) events.emit('tokenExpiring', { requestedScope: key, expiresAt: cached.expiresAt });
    return withRefreshLock(() => refreshLocked(key));
  }

  async function fetchUserInfo(): Promise<UserInfo> {
    const session = await sessions.read();
    if (!session) throw new LoginRequiredError('not signed in');
    const sub = session.idToken ? decodeJwtPayload(session.idToken)?.sub : undefined;
    if (typeof sub !== 'string')
      throw new ConfigurationError('fetchUserInfo() needs a sign-in whose scope includes openid');
    if (!as.userinfo_endpoint)
      throw new ConfigurationError(`issuer ${as.issuer} has no userinfo_endpoint; pass options.userinfoUrl`);
    const accessToken = await getAccessToken();
    try {
      const response = await oauth.userInfoRequest(
        as,
        oauthClient(),
        accessToken,
        httpOptions(as.userinfo_endpoint, fetch),
      );
      // OIDC Core §5.3.4: the answer must be about the user the ID token names.
      return (await oauth.processUserInfoResponse(as, oauthClient(), sub, response)) as UserInfo;
    } catch (err) {
      throw toGatehouseError(err);
    }
  }

  async function logout({ returnTo, state = oauth.generateRandomState() }: LogoutOptions = {}): Promise<void> {
    const session = await withRefreshLock(async () => {
      const current = await sessions.read();
      await sessions.clear();
      return current;
    });
    events.emit('loggedOut', { reason: 'logout' });
    // Best effort (RFC 7009 §2): the local session is already gone whatever the server says.
    if (session?.refreshToken && as.revocation_endpoint) {
      try {
        const response = await oauth.revocationRequest(as, oauthClient(), clientAuth, session.refreshToken, {
          ...httpOptions(as.revocation_endpoint, fetch),
          additionalParameters: { token_type_hint: 'refresh_token' },
        });
        await oauth.processRevocationResponse(response);
      } catch (err) {
        events.emit('error', toGatehouseError(err));
      }
    }
    if (as.end_session_endpoint) {
      location.assign(
        buildEndSessionUrl(as.end_session_endpoint, { clientId, idToken: session?.idToken, returnTo, state }),
      );
    } else if (returnTo) {
      location.assign(returnTo);
    }
  }

  return {
    issuer: as.issuer,
    buildAuthorizeUrl,
    async loginWithRedirect(options) {
      location.assign(await buildAuthorizeUrl(options));
    },
    handleRedirectCallback,
    loginWithPopup,
    checkSession,
    getAccessToken,
    async isAuthenticated() {
      const session = await sessions.read();
      const token = session?.tokens[''];
      return !!session && (!!session.refreshToken || (!!token && !isExpired(token)));
    },
    async getClaims() {
      const token = (await sessions.read())?.tokens[''];
      return token ? (decodeJwtPayload(token.accessToken) as AccessTokenClaims | undefined) : undefined;
    },
    async getUser() {
      const idToken = (await sessions.read())?.idToken;
      return idToken ? (decodeJwtPayload(idToken) as IdTokenClaims | undefined) : undefined;
    },
    fetchUserInfo,
    logout,
    on: events.on,
    off: events.off,
  };
}
