import type { Realm } from '../protocol/model.js';
import type { AuditEventType, AuditLog } from './audit.js';

/** What a person typed may hold anything: no control characters (PostgreSQL refuses NUL), bounded. */
function printable(value: string): string {
  return value.replace(/\p{Cc}/gu, '').slice(0, 200);
}

/**
 * The security events of issue 9, one call per place they happen (login, consent, logout,
 * refresh-token reuse). Each is a row of the audit trail and one log line. Recording never
 * fails the request it describes: a failure to record is logged instead.
 */
export class SecurityEvents {
  constructor(private readonly audit: AuditLog) {}

  /** The outcome of a sign-in attempt; the password is never part of it. */
  async signIn(
    realm: Realm,
    username: string,
    result: { ok: true; user: { id: string; username: string } } | { ok: false; reason: string },
  ): Promise<void> {
    const type: AuditEventType = result.ok
      ? 'sign-in.succeeded'
      : result.reason === 'throttled'
        ? 'sign-in.locked-out'
        : 'sign-in.failed';
    await this.record(type, realm, {
      actor: result.ok
        ? { kind: 'person', id: result.user.id, name: result.user.username }
        : { kind: 'person', id: '-', name: printable(username) },
      target: result.ok ? result.user.id : null,
      detail: result.ok ? null : { reason: result.reason },
    });
  }

  async consentGranted(
    realm: Realm,
    user: { id: string; username: string },
    clientId: string,
    scopes: readonly string[],
  ) {
    await this.record('consent.granted', realm, {
      actor: { kind: 'person', id: user.id, name: user.username },
      target: user.id,
      detail: { client_id: clientId, scopes },
    });
  }

  /** The person's own withdrawal (an administrator's is audited by admin/users.ts). */
  async consentWithdrawn(realm: Realm, user: { id: string; username: string }, clientId: string): Promise<void> {
    await this.record('consent.withdrawn', realm, {
      actor: { kind: 'person', id: user.id, name: user.username },
      target: user.id,
      detail: { client_id: clientId, by: 'person' },
    });
  }

  async logout(realm: Realm, user: { id: string; username: string }): Promise<void> {
    await this.record('logout', realm, {
      actor: { kind: 'person', id: user.id, name: user.username },
      target: user.id,
    });
  }

  /** A rotated refresh token was presented again: its whole family was revoked (RFC 9700 §4.14.2). */
  async refreshTokenReuse(record: {
    realmId: string;
    tenantId: string;
    userId: string;
    clientId: string;
    familyId: string;
  }) {
    await this.write('refresh-token.reuse-detected', record.tenantId, {
      actor: { kind: 'system', id: 'gatehouse', name: 'gatehouse' },
      target: record.userId,
      detail: { realm: record.realmId, client_id: record.clientId, family_id: record.familyId, family_revoked: true },
    });
  }

  private record(
    type: AuditEventType,
    realm: Realm,
    event: { actor: { kind: 'person' | 'system'; id: string; name: string }; target?: string | null; detail?: unknown },
  ): Promise<void> {
    return this.write(type, realm.tenantId, { ...event, detail: { realm: realm.id, ...(event.detail ?? {}) } });
  }

  private async write(
    type: AuditEventType,
    tenantId: string,
    event: { actor: { kind: 'person' | 'system'; id: string; name: string }; target?: string | null; detail?: unknown },
  ): Promise<void> {
    try {
      await this.audit.record({ type, tenantId, ...event });
    } catch (error) {
      this.audit.reportFailure(type, error);
    }
  }
}
