import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll } from 'vitest';

/** Debian's Chromium (installed by .ci/run); playwright-core never downloads a browser. */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const artifactsDir = join(import.meta.dirname, '..', '..', 'test-results');

/**
 * Launches headless Chromium once per test file. A missing browser is a failure, never a
 * skip: CI installs it, and a developer is told how.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install chromium (or set CHROMIUM_PATH)`);
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  afterAll(() => browser.close());
  mkdirSync(artifactsDir, { recursive: true });
  return browser;
}
