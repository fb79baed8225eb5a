/** Reads a browser global that may be missing (Node) or throw on access (storage blocked by the user). */
export function browserGlobal<T>(read: () => T): T | undefined {
  try {
    return read() ?? undefined;
  } catch {
    return undefined;
  }
}
