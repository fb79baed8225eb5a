import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Gatehouse keeps its data during the benchmark: a template seeded once, and a fresh copy
 * for every server start.
 *   SQLite (default): files in a temporary directory on disk (not tmpfs, so fsync is real);
 *     the copy is a file copy.
 *   PostgreSQL (`--database postgres://…`): databases on that server, named gatehouse_bench_*;
 *     the copy is CREATE DATABASE … TEMPLATE. All of them are dropped at the end.
 */
export async function createDatabaseStore(url) {
  if (url && /^postgres(ql)?:\/\//.test(url)) return createPostgresStore(url);
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const template = join(dir, 'template.sqlite');
  return {
    dialect: 'sqlite',
    template,
    async fresh(run) {
      const path = join(dir, `run-${run}.sqlite`);
      copyFileSync(template, path);
      return path;
    },
    async discard(path) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    },
    async close() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function createPostgresStore(url) {
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const prefix = `gatehouse_bench_${process.pid}`;
  const urlFor = (name) => {
    const target = new URL(url);
    target.pathname = `/${name}`;
    return target.toString();
  };
  const created = [];
  const create = async (name, template) => {
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    created.push(name);
  };
  const drop = async (name) => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    created.splice(created.indexOf(name), 1);
  };
  await create(`${prefix}_template`);
  return {
    dialect: 'postgres',
    template: urlFor(`${prefix}_template`),
    async fresh(run) {
      await create(`${prefix}_run_${run}`, `${prefix}_template`);
      return urlFor(`${prefix}_run_${run}`);
    },
    async discard(databaseUrl) {
      await drop(new URL(databaseUrl).pathname.slice(1));
    },
    async close() {
      for (const name of [...created]) await drop(name);
      await admin.end();
    },
  };
}
