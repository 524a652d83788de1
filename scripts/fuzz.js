#!/usr/bin/env node
// The long fuzz run: the reliability fuzzer with millions of parser inputs (default 5,000,000;
// `npm run fuzz -- 20000000` for more) and the property tests with more runs.
// The CI run (`npm test`) does 200,000.
import { spawnSync } from 'node:child_process';

const inputs = process.argv[2] ?? '5000000';
const result = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/reliability/fuzz.test.ts', 'test/reliability/properties.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_INPUTS: inputs, FUZZ_PROPERTY_RUNS: String(Math.max(3000, Math.round(Number(inputs) / 100))) },
});
process.exit(result.status ?? 1);
