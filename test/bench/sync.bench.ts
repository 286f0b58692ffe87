// Benchmark for the ServiceNow sync (issue: "scales to 100k tickets"): a full sync of
// 100,000 incidents from the simulator into SQLite and into PostgreSQL, against a raw bulk
// insert of the same rows, then incremental cycles of 1,000 changed records. Prints figures;
// asserts nothing.
import { ChildProcess, spawn } from 'child_process';
import os from 'os';
import path from 'path';

const INCIDENTS = Number(process.env.BENCH_INCIDENTS ?? 100_000);
const PORT = 17080 + (process.pid % 1000);
const ROOT = path.resolve(__dirname, '../..');
const node = (args: string[], env: Record<string, string> = {}) =>
  spawn(
    process.execPath,
    ['--require', '@backstage/cli/config/nodeTransform.cjs', ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );

function output(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', d => (out += d));
    child.on('exit', code =>
      code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${out}`)),
    );
  });
}

async function main() {
  const sim = node(['packages/servicenow-simulator/src/index.ts'], {
    SERVICENOW_SIMULATOR_PORT: String(PORT),
    SERVICENOW_SIMULATOR_GENERATED_INCIDENTS: String(INCIDENTS),
  });
  const simUrl = `http://127.0.0.1:${PORT}`;
  try {
    await new Promise<void>((resolve, reject) => {
      sim.stdout!.on('data', d => {
        if (String(d).includes('listening')) resolve();
      });
      sim.on('exit', code => reject(new Error(`simulator exited ${code}`)));
    });
    const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
    console.log(
      `ServiceNow sync benchmark: ${INCIDENTS} generated incidents (+ the seed) from the simulator; ${
        os.cpus().length
      } x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${
        process.version
      }`,
    );
    for (const database of ['sqlite', 'postgres']) {
      const result = JSON.parse(
        await output(node(['test/bench/syncOne.ts', database, simUrl])),
      );
      console.log(
        [
          `${database.padEnd(8)} sync: ${result.stored} stored (${
            result.quarantined
          } quarantined) in ${result.syncSeconds.toFixed(2)} s`,
          `= ${Math.round(result.incidentsPerSecond)} incidents/s`,
          `peak RSS ${Math.round(result.peakRssMb)} MB`,
          `| raw bulk insert of ${
            result.rawRows
          } rows ${result.rawSeconds.toFixed(2)} s`,
          `| sync/raw ${result.ratio.toFixed(2)}x`,
          `(page size ${
            result.pageSize
          }; targets: >= 10000/s into SQLite, RSS < 400 MB, <= 2x raw: ${
            result.ratio <= 2 && result.peakRssMb < 400 ? 'met' : 'NOT met'
          })`,
        ].join(' '),
      );
      const cycles: Array<{ seconds: number; stored: number }> = result.cycles;
      const worst = Math.max(...cycles.map(c => c.seconds));
      console.log(
        `${database.padEnd(8)} incremental: ${
          cycles.length
        } cycles of 1000 changed records: ${cycles
          .map(c => `${c.seconds.toFixed(2)} s (${c.stored} stored)`)
          .join(', ')} (target < 1 s each: ${worst < 1 ? 'met' : 'NOT met'})`,
      );
    }
  } finally {
    sim.kill();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
