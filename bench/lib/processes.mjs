import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** How long a server may take to answer its readiness check, in milliseconds. */
const READY_TIMEOUT_MS = 60_000;
/** How long a server may take to exit after SIGTERM before it is killed, in milliseconds. */
const STOP_GRACE_MS = 5_000;

export const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * Starts `node args` pinned to `core` with taskset (which execs node, so the pid is node's and
 * /proc/PID/stat counts all of its threads, libuv's hashing pool included).
 */
export function spawnPinned(core, args, { env = {}, cwd } = {}) {
  // BENCH_SERVER_NODE_OPTIONS adds flags to the servers' node only (e.g. `--cpu-prof
  // --cpu-prof-dir=/tmp/prof` to profile them; NODE_OPTIONS refuses --cpu-prof).
  const nodeFlags = (process.env.BENCH_SERVER_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const child = spawn('taskset', ['-c', String(core), process.execPath, ...nodeFlags, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child,
    pid: child.pid,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(force);
    },
  };
}

/** Polls `url` until it answers 200; fails with the process's output if it exits or times out. */
export async function waitUntilReady(proc, url) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (proc.child.exitCode === null && Date.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not answer ${url}:\n${proc.output()}`);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * CPU time (user + system, all threads) of a process in seconds, its resident set in MB, and the
 * bytes it has had written to storage (/proc/PID/io write_bytes: WAL frames, checkpoints; not
 * sockets), a figure that does not move with the machine's noise.
 */
export function readProcess(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  const writtenBytes = Number(/^write_bytes:\s+(\d+)/m.exec(io)?.[1] ?? 0);
  return { cpuSeconds, rssMb: rssKb / 1024, writtenBytes };
}

/** Pins the calling process (all its threads) to `core`. */
export function pinSelf(core) {
  execFileSync('taskset', ['-a', '-cp', String(core), String(process.pid)], { stdio: 'ignore' });
}
