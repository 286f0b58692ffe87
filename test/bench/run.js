// `yarn bench [name…]`: runs every test/bench/*.bench.ts in turn, or those whose file name
// contains one of the names (`yarn bench reads`, `yarn bench ui`, `yarn bench peer`), as
// TypeScript through Backstage's node transform; each prints its figures. Exits non-zero if
// one fails to run.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const only = process.argv.slice(2);
const benches = fs
  .readdirSync(__dirname)
  .filter(f => f.endsWith('.bench.ts'))
  .filter(f => only.length === 0 || only.some(o => f.includes(o)))
  .sort();
// Benches that start the app (ui) hold the lock the end-to-end tests take, so that two never
// start it at once.
const APP_LOCK = '/tmp/e2e.lock';
for (const file of benches) {
  console.log(`\n### ${file}`);
  const node = [
    process.execPath,
    '--require',
    '@backstage/cli/config/nodeTransform.cjs',
    path.join(__dirname, file),
  ];
  const [command, ...args] =
    file === 'ui.bench.ts' ? ['flock', APP_LOCK, ...node] : node;
  const { status } = spawnSync(command, args, {
    stdio: 'inherit',
    cwd: path.resolve(__dirname, '../..'),
  });
  if (status !== 0) process.exit(status ?? 1);
}
