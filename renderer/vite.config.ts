import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  // Paths below resolve from this folder, whatever the working directory.
  root: import.meta.dirname,
  // The Electron host serves the page from app://softphone/, so asset URLs stay relative.
  base: './',
  // No svelte.config.js: TypeScript in components needs no preprocessor with Svelte 5.
  plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // The CSP allows assets from 'self' only: never inline one as a data: URL.
    assetsInlineLimit: 0,
    // The polyfill is for browsers we never run in (Electron's and Debian's Chromium).
    modulePreload: { polyfill: false },
    sourcemap: true,
  },
});
