#!/usr/bin/env node
// The gatehouse CLI. A committed shim so npm links the command at install time, before the
// TypeScript build has produced dist/.
import '../dist/cli.js';
