// What the benchmarks share: a fresh database of each kind, and a logger that keeps quiet
// but for warnings and errors.
import fs from 'fs';
import knexFactory, { Knex } from 'knex';
import os from 'os';
import path from 'path';

export const quietLogger: any = {
  info() {},
  debug() {},
  warn: (m: string) => process.stderr.write(`${m}\n`),
  error: (m: string) => process.stderr.write(`${m}\n`),
  child: () => quietLogger,
};

/**
 * SQLite in memory (or, with `file`, in a temporary file, as a deployment keeps it: the data
 * is then not in the process's memory), or a new database on the test PostgreSQL that
 * `close` drops.
 */
export async function openDatabase(
  kind: string,
  options: { file?: boolean } = {},
): Promise<{ db: Knex; close: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = options.file
      ? fs.mkdtempSync(path.join(os.tmpdir(), 'incident-ops-bench-'))
      : undefined;
    const db = knexFactory({
      client: 'better-sqlite3',
      connection: {
        filename: dir ? path.join(dir, 'bench.sqlite') : ':memory:',
      },
      useNullAsDefault: true,
    });
    return {
      db,
      close: async () => {
        await db.destroy();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432';
  const name = `incident_ops_bench_${process.pid}`;
  const admin = knexFactory({ client: 'pg', connection: url });
  await admin.raw('CREATE DATABASE ??', [name]);
  // The database goes into the URL: pg lets a connection string win over a `database` field.
  const target = new URL(url);
  target.pathname = `/${name}`;
  const db = knexFactory({ client: 'pg', connection: target.toString() });
  const [{ current }] = (await db.raw('select current_database() as current'))
    .rows;
  if (current !== name) {
    throw new Error(`Benchmark connected to ${current}, not ${name}`);
  }
  return {
    db,
    close: async () => {
      await db.destroy();
      await admin.raw('DROP DATABASE ??', [name]);
      await admin.destroy();
    },
  };
}
