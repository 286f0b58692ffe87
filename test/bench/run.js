// `yarn bench`: runs every test/bench/*.bench.ts in turn (TypeScript through Backstage's node
// transform); each prints its figures. Exits non-zero if one fails to run.
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const only = process.argv.slice(2);
const benches = fs
  .readdirSync(__dirname)
  .filter(f => f.endsWith('.bench.ts'))
  .filter(f => only.length === 0 || only.some(o => f.includes(o)))
  .sort();
for (const file of benches) {
  console.log(`\n### ${file}`);
  const { status } = spawnSync(
    process.execPath,
    [
      '--require',
      '@backstage/cli/config/nodeTransform.cjs',
      path.join(__dirname, file),
    ],
    { stdio: 'inherit', cwd: path.resolve(__dirname, '../..') },
  );
  if (status !== 0) process.exit(status ?? 1);
}
