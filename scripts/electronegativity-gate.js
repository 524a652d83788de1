#!/usr/bin/env node
// Runs @doyensec/electronegativity (a devDependency) over the project — main process and
// preload sources, the renderer, and the built bundles — and fails when a finding is of high
// severity. The CLI reports findings but always exits 0, hence this gate.
// Usage: npm run build && node scripts/electronegativity-gate.js [--report electronegativity.sarif]
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
// One scan of the whole project (electronegativity skips node_modules): its global checks —
// navigation limits, permission handlers — look across all files, so a folder scanned alone
// (the renderer) would be reported as lacking what the main process does.
const inputs = ['.'];
const failAt = ['HIGH', 'CRITICAL'];
const reportIndex = process.argv.indexOf('--report');
const report = reportIndex > 0 ? process.argv[reportIndex + 1] : undefined;

let run;
try {
  const loaded = require('@doyensec/electronegativity');
  run = typeof loaded === 'function' ? loaded : loaded.default;
} catch (error) {
  process.stderr.write(`electronegativity is not installed (npm install -D @doyensec/electronegativity): ${error.message}\n`);
  process.exit(2);
}

const electronVersion = require('electron/package.json').version;
const high = [];
for (const input of inputs) {
  const result = await run(
    {
      input: join(root, input),
      ...(report === undefined ? {} : { output: join(root, `${report.replace(/\.sarif$/, '')}-${input.replace(/\W+/g, '-')}.sarif`), isSarif: true }),
      customScan: [],
      excludeFromScan: [],
      parserPlugins: [],
      isRelative: false,
      isVerbose: false,
      electronVersionOverride: electronVersion,
    },
    false,
  );
  for (const error of result.errors ?? []) {
    if (!error.tolerable) process.stderr.write(`not parsed: ${relative(root, error.file)}: ${error.message}\n`);
  }
  for (const issue of result.issues ?? []) {
    const severity = String(issue.severity?.name ?? issue.severity).toUpperCase();
    if (failAt.includes(severity)) high.push(`${severity} ${issue.id} ${relative(root, issue.file)}:${issue.location?.line ?? 0} ${issue.shortenedURL ?? ''}`);
  }
}
if (high.length > 0) {
  process.stderr.write(`electronegativity: ${high.length} high-severity finding(s)\n${high.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`electronegativity: no high-severity finding in ${inputs.join(', ')}\n`);
