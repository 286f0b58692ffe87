// Edits the package.json files of an app made by @backstage/create-app, for the adoption test:
//  1. every @backstage/* package this repository uses is pinned to the version it uses here
//     (root `resolutions`, so transitive copies follow too). An adopter does the same with
//     `yarn backstage-cli versions:bump` (see "Backstage versions" in the plugin READMEs);
//     create-app's own ranges drift apart without its yarn.lock seed (docs: toolchain).
//  2. the dependencies the READMEs' install steps add (`yarn --cwd packages/app add …`,
//     `yarn --cwd packages/backend add …`), as `yarn add` writes them.
//  3. `resolutions` that send every @acme/* package to its tarball, so that the packages'
//     dependencies on each other (`^0.1.0` after packing) resolve to the tarballs too.
// Usage: node prepare-app.js <appDir> <repoRoot> <tarballDir>
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const [appDir, repoRoot, tarballDir] = process.argv.slice(2);

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
function writeJson(file, data) {
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}

/** name → version of every @backstage/* package installed at this repository's root. */
function repoBackstageVersions() {
  const scope = path.join(repoRoot, 'node_modules', '@backstage');
  const versions = {};
  for (const dir of fs.readdirSync(scope)) {
    const manifest = path.join(scope, dir, 'package.json');
    if (fs.existsSync(manifest)) {
      versions[`@backstage/${dir}`] = readJson(manifest).version;
    }
  }
  return versions;
}

/** name → tarball of every packed package (`<tarballDir>/<name without scope>.tgz`). */
function tarballs() {
  const result = {};
  for (const file of fs.readdirSync(tarballDir)) {
    if (file.endsWith('.tgz')) {
      const name = `@acme/${file.replace(/\.tgz$/, '')}`;
      result[name] = `file:${path.join(tarballDir, file)}`;
    }
  }
  return result;
}

const versions = repoBackstageVersions();
const packed = tarballs();

// What the READMEs' install steps add (each README's "Install" section).
const added = {
  'packages/app': ['@acme/plugin-incident-ops'],
  'packages/backend': [
    '@acme/plugin-incident-ops-backend',
    '@acme/plugin-incident-ops-backend-module-servicenow',
  ],
};

for (const dir of ['.', 'packages/app', 'packages/backend']) {
  const file = path.join(appDir, dir, 'package.json');
  const pkg = readJson(file);
  for (const field of ['dependencies', 'devDependencies']) {
    for (const name of Object.keys(pkg[field] ?? {})) {
      if (versions[name]) pkg[field][name] = versions[name];
    }
  }
  for (const name of added[dir] ?? []) {
    const tarball = packed[name].replace(/^file:/, '');
    const { version } = JSON.parse(
      execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], {
        encoding: 'utf8',
      }),
    );
    pkg.dependencies[name] = `^${version}`;
  }
  if (dir === '.') {
    pkg.resolutions = { ...pkg.resolutions, ...versions, ...packed };
  }
  writeJson(file, pkg);
}
console.log(
  `pinned ${Object.keys(versions).length} @backstage/* packages; ${
    Object.keys(packed).length
  } tarballs: ${Object.keys(packed).join(', ')}`,
);
