import type { StorageLike } from '../types.js';

/** A sign-in waiting for its callback: what the token request will need, and the app's state. */
export interface PendingTransaction {
  state: string;
  codeVerifier: string;
  redirectUri: string;
  scope: string;
  /** Sent when the scope includes `openid`; the ID token must echo it (OIDC Core §3.1.2.1). */
  nonce?: string;
  appState?: unknown;
  /** `max_age` sent, in seconds: the ID token's `auth_time` must be that recent (OIDC Core §3.1.2.1). */
  maxAge?: number;
  /** Milliseconds since the epoch; kept for diagnostics. */
  createdAt: number;
}

/**
 * Pending sign-ins live in (per-tab) sessionStorage under a key holding their `state`, so a
 * callback can only complete a sign-in this tab started, and several can be pending at once.
 */
export function createTransactionStore(storage: StorageLike, clientId: string) {
  const keyOf = (state: string) => `gatehouse.tx.${clientId}.${state}`;
  return {
    save(tx: PendingTransaction): void {
      storage.setItem(keyOf(tx.state), JSON.stringify(tx));
    },
    /**
     * Returns the transaction for `state` and deletes it, so a callback URL can be redeemed once:
     * a second attempt finds nothing (RFC 6749 §10.12, OAuth 2.1 §7.5.1).
     */
    take(state: string): PendingTransaction | undefined {
      const key = keyOf(state);
      const raw = storage.getItem(key);
      if (raw === null) return undefined;
      storage.removeItem(key);
      try {
        const tx = JSON.parse(raw) as PendingTransaction;
        return tx.state === state && typeof tx.codeVerifier === 'string' ? tx : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

export type TransactionStore = ReturnType<typeof createTransactionStore>;
