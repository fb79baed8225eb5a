import type { AuditActorKind, AuditEventRecord } from '../store/audit-events.repository.js';
import type { Repositories } from '../store/repositories.js';
import type { Clock, Random } from '../protocol/ports.js';

export interface AuditActor {
  readonly kind: AuditActorKind;
  readonly id: string;
  readonly name: string;
}

/** Every event type written to the trail: admin changes and security events. */
export type AuditEventType =
  | `${'tenant' | 'scope' | 'client' | 'user' | 'consent' | 'administrator' | 'api-key'}.${string}`
  | 'key.rotated'
  | 'sign-in.succeeded'
  | 'sign-in.failed'
  | 'sign-in.locked-out'
  | 'consent.granted'
  | 'consent.withdrawn'
  | 'refresh-token.reuse-detected'
  | 'logout';

export interface AuditEventInput {
  readonly type: AuditEventType;
  readonly tenantId?: string | null;
  readonly actor: AuditActor;
  readonly target?: string | null;
  /** Snapshots before and after the change; never secrets or their hashes. */
  readonly before?: unknown;
  readonly after?: unknown;
  readonly detail?: unknown;
}

export interface AuditLogger {
  info(object: Record<string, unknown>, message: string): void;
  error(object: Record<string, unknown>, message: string): void;
}

/** A security event with no administrator behind it. */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({ kind: 'system', id: 'gatehouse', name: 'gatehouse' });

/**
 * The audit trail: each event is a row of `audit_events` (written with the repositories given,
 * so inside the change's own transaction when there is one) and one structured log line, written
 * only once the row is committed.
 */
export class AuditLog {
  private logger: AuditLogger | undefined;
  private lastMs = 0;
  private sequence = 0;

  constructor(
    private readonly repos: Repositories,
    private readonly clock: Clock,
    private readonly random: Random,
  ) {}

  /** Where the one-line copies go (the server's pino logger); none in the CLI. */
  attachLogger(logger: AuditLogger): void {
    this.logger = logger;
  }

  /** Writes the event outside any transaction (security events) and logs it. */
  async record(event: AuditEventInput): Promise<void> {
    const record = this.toRecord(event);
    await this.repos.auditEvents.insert(record);
    this.log(record);
  }

  /** Writes the event with `repos` (a transaction's); call the returned function after commit. */
  async write(repos: Repositories, event: AuditEventInput): Promise<() => void> {
    const record = this.toRecord(event);
    await repos.auditEvents.insert(record);
    return () => this.log(record);
  }

  /** A security event that could not be written: logged loudly, the request goes on. */
  reportFailure(type: string, error: unknown): void {
    this.logger?.error({ err: error, auditType: type }, 'could not write an audit event');
  }

  private log(record: AuditEventRecord): void {
    this.logger?.info(
      {
        audit: {
          id: record.id,
          type: record.type,
          tenant: record.tenantId,
          actor: record.actor,
          target: record.target,
          detail: record.detail,
        },
      },
      `audit ${record.type}`,
    );
  }

  private toRecord(event: AuditEventInput): AuditEventRecord {
    return {
      id: this.nextId(),
      at: this.clock.nowSeconds(),
      type: event.type,
      tenantId: event.tenantId ?? null,
      actor: event.actor,
      target: event.target ?? null,
      before: event.before ?? null,
      after: event.after ?? null,
      detail: event.detail ?? null,
    };
  }

  /** Sortable ids: wall-clock milliseconds, a per-process sequence, then randomness. */
  private nextId(): string {
    const ms = Date.now();
    this.sequence = ms === this.lastMs ? this.sequence + 1 : 0;
    this.lastMs = ms;
    return `${ms.toString(16).padStart(12, '0')}${this.sequence.toString(16).padStart(4, '0')}${this.random
      .token(6)
      .replace(/[^A-Za-z0-9]/g, '0')
      .slice(0, 8)}`;
  }
}
