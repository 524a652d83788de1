/**
 * End to end: the real core behind the real web host, the built renderer in Debian's
 * Chromium. The shell renders, calls `app.info` through the WebSocket bridge, and an account
 * added through the Settings form comes back from the core.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/log.js';
import { readAppMeta } from '../../main/hosts/app-meta.js';
import { startWebHost, type WebHost } from '../../main/hosts/web/server.js';
import { artifactsDir, launchBrowser } from '../helpers/browser.js';
import { testCore } from '../helpers/core.js';
import type { Browser, Page } from 'playwright-core';
import type { Core } from '../../main/core/index.js';

const meta = readAppMeta();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});

async function openShell(): Promise<{ page: Page; web: WebHost; errors: string[]; core: Core }> {
  const { core, bridge } = await testCore({ host: 'web' });
  const web = await startWebHost({
    bridge,
    subscribe: (sink) => core.subscribe(sink),
    staticDir: join(meta.root, 'dist', 'renderer'),
    logger: silentLogger,
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  afterAll(async () => {
    await page.close();
    await web.close();
  });
  await page.goto(web.url);
  return { page, web, errors, core };
}

describe('web host in Chromium', () => {
  it('renders the app shell and gets app.info through the bridge', async () => {
    const { page, errors } = await openShell();
    await page.getByTestId('app-shell').waitFor();
    await expect.poll(() => page.getByTestId('app-version').textContent()).toContain('9.9.9-test');
    for (const nav of ['nav-calls', 'nav-contacts', 'nav-history', 'nav-messages', 'nav-settings']) {
      expect(await page.getByTestId(nav).isVisible(), nav).toBe(true);
    }
    // The token left the address bar once read.
    expect(page.url()).not.toContain('token=');
    await page.screenshot({ path: join(artifactsDir, 'shell-calls.png') });
    expect(errors).toEqual([]);
  });

  it('shows a refusal from the core next to its field, then adds an account', async () => {
    const { page, errors, core } = await openShell();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('account-user').fill('alice');
    await page.getByTestId('account-domain').fill('not a host');
    await page.getByTestId('account-add').click();
    await expect.poll(() => page.getByTestId('account-domain-error').textContent()).toMatch(/host/i);

    await page.getByTestId('account-domain').fill('lab.test');
    await page.getByTestId('account-password').fill('alicepass');
    await page.getByTestId('account-calls-from-proxy-only').check();
    await page.getByTestId('account-add').click();
    await page.getByTestId('account-item').first().waitFor();
    expect(await core.handlers['accounts.list']({})).toEqual([expect.objectContaining({ user: 'alice', callsFromProxyOnly: true, busyWhenInCall: false })]);
    expect(await page.getByTestId('account-item').count()).toBe(1);
    expect(await page.getByTestId('account-item').first().textContent()).toContain('alice');
    await page.screenshot({ path: join(artifactsDir, 'shell-settings.png') });
    expect(errors).toEqual([]);
  });

  it('reports why a call cannot be placed', async () => {
    const { page } = await openShell();
    await page.getByTestId('nav-calls').click();
    await page.getByTestId('dial-input').fill('sip:bob@lab.test');
    await page.getByTestId('dial-button').click();
    await expect.poll(() => page.getByTestId('dial-error').textContent()).toBeTruthy();
  });

  it('refuses a page opened without the token', async () => {
    const { page, web } = await openShell();
    const bare = await browser.newPage();
    await bare.goto(`http://127.0.0.1:${web.port}/`);
    await bare.getByTestId('app-shell').waitFor();
    await expect.poll(() => bare.getByTestId('connection-status').textContent()).toMatch(/token/i);
    await bare.close();
    expect(page.isClosed()).toBe(false);
  });
});
