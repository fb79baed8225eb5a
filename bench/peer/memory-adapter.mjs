/**
 * An unbounded in-memory storage adapter for oidc-provider (its Adapter interface: upsert, find,
 * findByUid, findByUserCode, consume, destroy, revokeByGrantId).
 *
 * oidc-provider's own development adapter is an LRU capped at 1000 entries: codes minted ahead
 * of a code-exchange run (tens of thousands) would be evicted before use. This one keeps every
 * entry until it expires, so the peer holds its state in memory the way a production in-memory
 * store would, and its RSS grows with that state as it would in production.
 */

/** How often expired entries are swept out, in milliseconds. */
const SWEEP_INTERVAL_MS = 5_000;

/** key `${model}:${id}` -> { payload, expiresAt (ms epoch or Infinity) } */
const entries = new Map();
/** grantId -> Set of keys of the tokens issued under that grant (for revokeByGrantId). */
const grantMembers = new Map();
/** session uid -> session id */
const sessionUids = new Map();
/** user code -> id (device flow; unused by the benchmark, kept for the interface) */
const userCodes = new Map();

const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
]);

function live(key) {
  const entry = entries.get(key);
  if (!entry) return undefined;
  if (entry.expiresAt <= Date.now()) {
    remove(key);
    return undefined;
  }
  return entry.payload;
}

function remove(key) {
  const entry = entries.get(key);
  if (!entry) return;
  entries.delete(key);
  const { payload } = entry;
  if (payload.uid && sessionUids.get(payload.uid) === key) sessionUids.delete(payload.uid);
  if (payload.userCode && userCodes.get(payload.userCode) === key) userCodes.delete(payload.userCode);
  if (payload.grantId) {
    const members = grantMembers.get(payload.grantId);
    members?.delete(key);
    if (members?.size === 0) grantMembers.delete(payload.grantId);
  }
}

setInterval(() => {
  const now = Date.now();
  for (const [key, entry] of entries) if (entry.expiresAt <= now) remove(key);
}, SWEEP_INTERVAL_MS).unref();

export class MemoryAdapter {
  constructor(model) {
    this.model = model;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    remove(key);
    entries.set(key, {
      payload,
      expiresAt: typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY,
    });
    if (this.model === 'Session' && payload.uid) sessionUids.set(payload.uid, key);
    if (payload.userCode) userCodes.set(payload.userCode, key);
    if (GRANTABLE.has(this.model) && payload.grantId) {
      let members = grantMembers.get(payload.grantId);
      if (!members) grantMembers.set(payload.grantId, (members = new Set()));
      members.add(key);
    }
  }

  async find(id) {
    return live(this.key(id));
  }

  async findByUid(uid) {
    const key = sessionUids.get(uid);
    return key ? live(key) : undefined;
  }

  async findByUserCode(userCode) {
    const key = userCodes.get(userCode);
    return key ? live(key) : undefined;
  }

  async consume(id) {
    const payload = live(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    remove(this.key(id));
  }

  async revokeByGrantId(grantId) {
    const members = grantMembers.get(grantId);
    if (!members) return;
    for (const key of [...members]) remove(key);
    grantMembers.delete(grantId);
  }
}
