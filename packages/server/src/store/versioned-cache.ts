import type { ChangeFeed } from './change-feed.js';

/**
 * A map of values read from the database, emptied whenever the change feed's version moves.
 * Concurrent misses for one key share one load; a failed load is not kept.
 */
export class VersionedCache<V> {
  private readonly entries = new Map<string, Promise<V>>();
  private version = Number.NaN;

  constructor(
    private readonly changes: ChangeFeed,
    private readonly capacity = 10_000,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const version = await this.changes.version();
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    let entry = this.entries.get(key);
    if (entry === undefined) {
      if (this.entries.size >= this.capacity) this.entries.clear();
      entry = load();
      this.entries.set(key, entry);
      entry.catch(() => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      });
    }
    return entry;
  }
}
