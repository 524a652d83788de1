/**
 * What the UI end-to-end tests share: a core behind the web host on loopback, a page on it in
 * Debian's Chromium, and the account wizard filled in as a user would. Screenshots go to
 * test-results/screenshots/ (ignored by git, kept by CI as artifacts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, expect } from 'vitest';
import { NullDriver } from '../../main/core/audio/index.js';
import type { Core } from '../../main/core/index.js';
import { silentLogger } from '../../main/core/log.js';
import { readAppMeta } from '../../main/hosts/app-meta.js';
import { startWebHost } from '../../main/hosts/web/server.js';
import { artifactsDir } from '../helpers/browser.js';
import { testCore } from '../helpers/core.js';
import { labDns } from '../interop/lab/dns.js';
import type { Kamailio } from '../interop/lab/kamailio.js';

export const screenshotsDir = join(artifactsDir, 'screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
}

/**
 * A fresh core and a page on its web host. `bypassCSP`: the page's own CSP is lifted (to inject
 * axe-core, or to show that network text is harmless without the CSP's help).
 */
export async function openPhone(browser: Browser, kamailio: Kamailio, options: { bypassCSP?: boolean } = {}): Promise<{ page: Page; core: Core }> {
  const { core, bridge } = await testCore({ host: 'web', dns: labDns(kamailio), audio: { driver: new NullDriver(), statsIntervalSeconds: 1 } });
  const web = await startWebHost({ bridge, subscribe: (sink) => core.subscribe(sink), staticDir: join(readAppMeta().root, 'dist', 'renderer'), logger: silentLogger });
  const context = await browser.newContext({ bypassCSP: options.bypassCSP === true, viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  afterAll(async () => {
    await context.close();
    await web.close();
  });
  await page.goto(web.url);
  return { page, core };
}

/** The account wizard in Settings, as a user fills it in; waits for the registration. */
export async function registerInUi(page: Page, user: string, password: string): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('account-user').fill(user);
  await page.getByTestId('account-domain').fill('lab.test');
  await page.getByTestId('account-password').fill(password);
  await page.getByTestId('account-add').click();
  await expect.poll(() => page.getByTestId('account-item').first().getAttribute('data-state'), { timeout: 8000 }).toBe('registered');
}
