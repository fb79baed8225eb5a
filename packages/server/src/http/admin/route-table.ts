import type { AdminCaller } from '../../admin/caller.js';
import type { AppContext } from '../../context.js';
import type { JsonSchema } from './schemas.js';

/** What a handler gets: the authenticated caller and the validated request parts. */
export interface AdminCall<Body = Record<string, unknown>> {
  readonly ctx: AppContext;
  readonly caller: AdminCaller;
  readonly params: Record<string, string>;
  readonly query: Record<string, unknown>;
  readonly body: Body;
}

/**
 * One admin API operation: registered with Fastify (schemas validate the request) and described
 * in the OpenAPI document from the same definition.
 */
export interface AdminRoute {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Fastify syntax, relative to /admin/api/v1: `/tenants/:tenant_id`. */
  readonly url: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  readonly querystring?: JsonSchema;
  readonly body?: JsonSchema;
  /** The success status; 204 sends no body. */
  readonly status: 200 | 201 | 204;
  readonly response?: JsonSchema;
  readonly handle: (call: AdminCall) => Promise<unknown>;
}

/** Reads an optional string from a validated body or query. */
export function optionalString(source: Record<string, unknown>, key: string): string | undefined {
  const value = source[key];
  return typeof value === 'string' ? value : undefined;
}

/** `refresh_tokens` of a client body, as the admin functions take it. */
export function refreshInput(body: Record<string, unknown>): {
  refreshTokens?: boolean;
  refreshAbsoluteTtlSeconds?: number;
  refreshIdleTtlSeconds?: number;
  refreshGraceSeconds?: number;
} {
  const policy = body.refresh_tokens as Record<string, unknown> | undefined;
  if (!policy) return {};
  const pick = <T>(key: string): T | undefined => policy[key] as T | undefined;
  return {
    ...(pick<boolean>('enabled') !== undefined ? { refreshTokens: pick<boolean>('enabled') } : {}),
    ...(pick<number>('absolute_ttl_seconds') !== undefined
      ? { refreshAbsoluteTtlSeconds: pick<number>('absolute_ttl_seconds') }
      : {}),
    ...(pick<number>('idle_ttl_seconds') !== undefined
      ? { refreshIdleTtlSeconds: pick<number>('idle_ttl_seconds') }
      : {}),
    ...(pick<number>('grace_seconds') !== undefined ? { refreshGraceSeconds: pick<number>('grace_seconds') } : {}),
  };
}
