import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock, Random } from '../protocol/ports.js';

export const systemRandom: Random = {
  token: (bytes) => randomBytes(bytes).toString('base64url'),
  uuid: () => randomUUID(),
};

export const systemClock: Clock = {
  nowSeconds: () => Math.floor(Date.now() / 1000),
};
