import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Network and browser tests use ephemeral ports on loopback; two cores, so keep it modest.
    maxWorkers: 2,
  },
});
