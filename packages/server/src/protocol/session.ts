import type { Realm, Session, User } from './model.js';
import type { Clock, Random, RefreshTokenRepository, SessionStore, UserDirectory } from './ports.js';
import { hashOpaqueSecret } from './secrets.js';

export interface SessionDeps {
  readonly sessions: SessionStore;
  readonly users: Pick<UserDirectory, 'findById'>;
  readonly clock: Clock;
  readonly random: Random;
  readonly sessionTtlSeconds: number;
}

export interface SignedIn {
  readonly session: Session;
  readonly user: User;
}

/**
 * The realm session named by the session cookie, if it is live and its person is still enabled
 * and of this realm's actor. The cookie is looked up only by its SHA-256.
 */
export async function currentSignIn(
  deps: Pick<SessionDeps, 'sessions' | 'users' | 'clock'>,
  realm: Realm,
  sessionCookie: string | undefined,
): Promise<SignedIn | undefined> {
  if (!sessionCookie) return undefined;
  const session = await deps.sessions.findActive(hashOpaqueSecret(sessionCookie), realm.id, deps.clock.nowSeconds());
  if (!session) return undefined;
  const user = await deps.users.findById(realm.tenantId, session.userId);
  if (!user || user.disabled || user.actor !== realm.actor) return undefined;
  return { session, user };
}

/**
 * Starts a new session after a successful sign-in and returns the cookie value to set. A fresh
 * random id every time, never the one the browser came with, so a planted cookie cannot become
 * a signed-in session (session fixation, RFC 9700 §4.7 spirit); the previous one is deleted.
 */
export async function startSession(
  deps: SessionDeps,
  realm: Realm,
  user: User,
  previousCookie: string | undefined,
): Promise<{ session: Session; cookie: string }> {
  if (previousCookie) await deps.sessions.delete(hashOpaqueSecret(previousCookie));
  const now = deps.clock.nowSeconds();
  const cookie = deps.random.sortableToken(32);
  const session = {
    realmId: realm.id,
    tenantId: realm.tenantId,
    userId: user.id,
    authTime: now,
    expiresAt: now + deps.sessionTtlSeconds,
  };
  await deps.sessions.insert(hashOpaqueSecret(cookie), session, now);
  return { session: { id: hashOpaqueSecret(cookie), ...session }, cookie };
}

/** Ends a session and revokes the refresh-token families issued in it (OIDC RP-Initiated Logout §2). */
export async function endSession(
  deps: { sessions: SessionStore; refreshTokens: Pick<RefreshTokenRepository, 'revokeFamilies'>; clock: Clock },
  session: Session,
): Promise<void> {
  await deps.sessions.delete(session.id);
  await deps.refreshTokens.revokeFamilies({ sessionId: session.id }, deps.clock.nowSeconds());
}
