#!/usr/bin/env node
// Native modules (better-sqlite3, naudiodon) are compiled for one ABI at a time: Node's for
// tests and the web/CLI hosts, Electron's for `npm start`. This keeps a stamp of the ABI they
// were last built for and rebuilds only when the wanted one differs, so switching between
// `npm start` and `npm test` on one machine keeps working. `npm install` itself builds for
// Node and never needs Electron's headers.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'node_modules', '.native-abi');
const want = process.argv[2];
// @discordjs/opus is N-API, but node-pre-gyp keeps one build per runtime ABI side by side
// (prebuild/node-v115-napi-…, prebuild/electron-v45.4-napi-…): it needs building for Electron
// once, and never again for Node.
const modules = want === 'electron' ? ['better-sqlite3', 'naudiodon', '@discordjs/opus'] : ['better-sqlite3', 'naudiodon'];

function electronVersion() {
  const require = createRequire(import.meta.url);
  return require('electron/package.json').version;
}

const target = want === 'electron' ? `electron-${electronVersion()}` : want === 'node' ? `node-${process.versions.modules}` : undefined;
if (target === undefined) {
  process.stderr.write('usage: native-abi.js node|electron\n');
  process.exit(64);
}
// A fresh install has no stamp and was built for the Node that ran npm.
const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : `node-${process.versions.modules}`;
if (current === target) process.exit(0);

process.stderr.write(`rebuilding ${modules.join(', ')} for ${target} (was ${current})\n`);
if (want === 'electron') {
  const { rebuild } = await import('@electron/rebuild');
  await rebuild({ buildPath: root, electronVersion: electronVersion(), onlyModules: modules, force: true });
} else {
  execFileSync('npm', ['rebuild', ...modules], { cwd: root, stdio: 'inherit' });
}
writeFileSync(stampFile, `${target}\n`);
