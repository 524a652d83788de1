/**
 * `npm run bench`: runs every benchmark under bench/ (each `bench/<name>/main.ts`), one after
 * the other in its own process so they don't disturb each other. `npm run bench -- NAME...`
 * runs only those. Each benchmark runs our code and the peer it is compared with in the same
 * run and prints the ratio: figures on shared machines are noisy, ratios are what count.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const all = readdirSync(dir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'main.ts')))
  .map((entry) => entry.name)
  .sort();
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  process.stderr.write(`no benchmark ${unknown.join(', ')}; there are: ${all.join(', ') || '(none)'}\n`);
  process.exit(64);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  process.stdout.write(`\n== ${name} ==\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(dir, name, 'main.ts')], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
