import type { AccessTokenClaims, Actor } from './claims.js';
import { ClaimCheckError, InsufficientScopeError } from './errors.js';
import { assertRequiredScopes } from './scope.js';

/**
 * What a route demands of a verified access token, beyond its validity. Every check given must
 * pass; none given accepts any valid token.
 */
export interface AccessPolicy {
  /** All of these scopes must be granted; else 403 `insufficient_scope` naming them. */
  requiredScopes?: readonly string[];
  /** At least one of these scopes must be granted; else 403 `insufficient_scope`. */
  anyScope?: readonly string[];
  /** Only tokens of this actor (or one of these): `user` (agents, realm -U) or `customer` (realm -C). */
  actor?: Actor | readonly Actor[];
  /** Only tokens of this tenant (or one of these), compared with the `tenant_id` claim. */
  tenant?: string | readonly string[];
  /**
   * A check of your own, run last with the verified claims: return false to refuse with 403, or
   * throw a `ResourceError` (e.g. `InvalidTokenError`) to answer with that instead.
   */
  check?: (claims: AccessTokenClaims) => boolean | Promise<boolean>;
}

/** A policy whose options were validated when the route was declared. */
export interface ResolvedPolicy {
  readonly requiredScopes: readonly string[];
  readonly anyScope: readonly string[];
  readonly actors: readonly Actor[] | undefined;
  readonly tenants: readonly string[] | undefined;
  readonly check: AccessPolicy['check'];
}

const asList = <T>(value: T | readonly T[] | undefined): readonly T[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? (value as readonly T[]) : [value as T];

/** Validates a policy (a programming error throws `TypeError` at start-up, never at a request). */
export function resolvePolicy(policy: AccessPolicy = {}, where = 'policy'): ResolvedPolicy {
  if (typeof policy !== 'object' || policy === null) throw new TypeError(`${where} must be an object`);
  const actors = asList(policy.actor);
  if (actors !== undefined && (actors.length === 0 || !actors.every((a) => a === 'user' || a === 'customer'))) {
    throw new TypeError(`${where}.actor must be 'user', 'customer', or a non-empty list of them`);
  }
  const tenants = asList(policy.tenant);
  if (tenants !== undefined && (tenants.length === 0 || !tenants.every((t) => typeof t === 'string' && t !== ''))) {
    throw new TypeError(`${where}.tenant must be a tenant id or a non-empty list of them`);
  }
  if (policy.check !== undefined && typeof policy.check !== 'function') {
    throw new TypeError(`${where}.check must be a function`);
  }
  const anyScope = assertRequiredScopes(policy.anyScope ?? [], `${where}.anyScope`);
  if (policy.anyScope !== undefined && anyScope.length === 0) {
    throw new TypeError(`${where}.anyScope must list at least one scope`);
  }
  return Object.freeze({
    requiredScopes: assertRequiredScopes(policy.requiredScopes ?? [], `${where}.requiredScopes`),
    anyScope,
    actors: actors && Object.freeze([...actors]),
    tenants: tenants && Object.freeze([...tenants]),
    check: policy.check,
  });
}

/**
 * Applies a policy to verified claims: scopes first (`requiredScopes`, `anyScope`), then the claim
 * checks. Throws `InsufficientScopeError` (whose challenge names a sufficient set of scopes) or
 * `ClaimCheckError`.
 */
export async function enforcePolicy(claims: AccessTokenClaims, policy: ResolvedPolicy): Promise<void> {
  const hasAll = policy.requiredScopes.every((scope) => claims.scopes.includes(scope));
  const hasAny = policy.anyScope.length === 0 || policy.anyScope.some((scope) => claims.scopes.includes(scope));
  if (!hasAll || !hasAny) {
    throw new InsufficientScopeError(policy.requiredScopes, claims.scopes, policy.anyScope);
  }
  if (policy.actors && !policy.actors.includes(claims.actor)) {
    throw new ClaimCheckError('actor', `actor ${claims.actor} is not one of ${policy.actors.join(', ')}`);
  }
  if (policy.tenants && !policy.tenants.includes(claims.tenant)) {
    throw new ClaimCheckError('tenant', `tenant ${claims.tenant} is not one of ${policy.tenants.join(', ')}`);
  }
  if (policy.check && !(await policy.check(claims))) {
    throw new ClaimCheckError('check', 'the custom check refused the token');
  }
}
