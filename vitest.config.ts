import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

/** Component tests: Svelte compiled for the browser, run in happy-dom. */
const componentTests = 'test/renderer/components/**/*.test.ts';

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Network and browser tests use ephemeral ports on loopback; two cores, so keep it modest.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/**/*.test.ts'], exclude: [componentTests, '**/node_modules/**'], environment: 'node' },
      },
      {
        extends: true,
        plugins: [svelte({ configFile: false, compilerOptions: { runes: true } }), svelteTesting()],
        test: { name: 'components', include: [componentTests], environment: 'happy-dom' },
      },
    ],
  },
});
