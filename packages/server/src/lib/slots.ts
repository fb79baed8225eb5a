/** At most `size` pieces of work at once; the rest wait in arrival order. */
export interface Slots {
  run<T>(work: () => Promise<T>): Promise<T>;
}

/** A counting semaphore: `run` starts the work once fewer than `size` are running. */
export function createSlots(size: number): Slots {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`slots: size must be a positive integer, got ${size}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finished piece hands its slot straight to the next in line, so `running` stays counted.
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      if (running < size) running++;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
