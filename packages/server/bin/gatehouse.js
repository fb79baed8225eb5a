#!/usr/bin/env node
// The gatehouse CLI. A committed shim so npm links the command at install time, before the
// TypeScript build has produced dist/.
import { limitHeapGrowth } from '../dist/lib/heap-limits.js';

// Before anything else is loaded: the young generation must not have grown past its cap yet.
limitHeapGrowth();
await import('../dist/cli.js');
