// Copies the built console into the server's dist/ (dist/console/), so a packed @gatehouse/server
// serves /admin/ on its own; in the workspace the server also finds packages/console/dist.
import { cpSync, existsSync, rmSync } from 'node:fs';

const from = new URL('./dist/', import.meta.url);
const to = new URL('../server/dist/console/', import.meta.url);
if (!existsSync(new URL('../server/dist/', import.meta.url))) {
  console.error('packages/server/dist is missing: build the server first (npm run build)');
  process.exit(1);
}
// Old hashed assets must not pile up: the copy is replaced, never merged.
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
