import type { GatehouseEventName, GatehouseEvents, GatehouseListener } from '../types.js';

/**
 * A minimal typed event emitter. A throwing listener neither stops the other listeners nor the
 * SDK operation that emitted; its exception is rethrown asynchronously, as `EventTarget` does, so
 * it still reaches `window.onerror` and the console.
 */
export function createEmitter() {
  const listeners = new Map<GatehouseEventName, Set<(detail: never) => void>>();
  return {
    on<E extends GatehouseEventName>(name: E, listener: GatehouseListener<E>): () => void {
      let set = listeners.get(name);
      if (!set) {
        set = new Set();
        listeners.set(name, set);
      }
      set.add(listener);
      return () => void set.delete(listener);
    },
    off<E extends GatehouseEventName>(name: E, listener: GatehouseListener<E>): void {
      listeners.get(name)?.delete(listener);
    },
    emit<E extends GatehouseEventName>(name: E, detail: GatehouseEvents[E]): void {
      for (const listener of [...(listeners.get(name) ?? [])]) {
        try {
          (listener as GatehouseListener<E>)(detail);
        } catch (err) {
          queueMicrotask(() => {
            throw err;
          });
        }
      }
    },
  };
}

export type Emitter = ReturnType<typeof createEmitter>;
