// Turns the dist workspace of `backstage-cli build-workspace` (each package as `yarn pack`
// would publish it: dist/, migrations, config.schema.json, package.json pointing at dist)
// into npm tarballs: `workspace:` ranges become `^<version>` as `yarn pack` writes them,
// then `npm pack`. Packing a copy leaves the repository's package.json files alone.
// Usage: node pack.js <distWorkspace> <tarballDir>
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const [workspace, out] = process.argv.slice(2);
const dirs = fs
  .readdirSync(path.join(workspace, 'plugins'))
  .map(d => path.join(workspace, 'plugins', d));
const manifests = dirs.map(dir => {
  const file = path.join(dir, 'package.json');
  return { dir, file, pkg: JSON.parse(fs.readFileSync(file, 'utf8')) };
});
const versions = Object.fromEntries(
  manifests.map(m => [m.pkg.name, m.pkg.version]),
);

fs.mkdirSync(out, { recursive: true });
for (const { dir, file, pkg } of manifests) {
  for (const field of [
    'dependencies',
    'peerDependencies',
    'optionalDependencies',
  ]) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (range.startsWith('workspace:')) {
        if (!versions[name])
          throw new Error(`${pkg.name}: ${name} was not packed`);
        pkg[field][name] = `^${versions[name]}`;
      }
    }
  }
  delete pkg.devDependencies; // as published: nobody installs them from a tarball
  delete pkg.scripts?.prepack;
  delete pkg.scripts?.postpack;
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  const [{ filename }] = JSON.parse(
    execFileSync(
      'npm',
      ['pack', '--json', '--ignore-scripts', '--pack-destination', out],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    ),
  );
  const target = path.join(out, `${pkg.name.replace(/^@acme\//, '')}.tgz`);
  fs.renameSync(path.join(out, filename), target);
  console.log(`${target} ${fs.statSync(target).size} bytes`);
}
