/**
 * End to end with real peers: in Debian's Chromium, the web UI adds an account through the
 * Settings form and sees it register at the lab's Kamailio (and fail with a wrong password),
 * the way a user would. DNS is a stub pointing lab.test at the lab.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/core/log.js';
import { readAppMeta } from '../../main/hosts/app-meta.js';
import { startWebHost } from '../../main/hosts/web/server.js';
import { artifactsDir, launchBrowser } from '../helpers/browser.js';
import { testCore } from '../helpers/core.js';
import { startKamailio, type Kamailio } from '../interop/lab/kamailio.js';
import { labDns } from '../interop/lab/dns.js';

let browser: Browser;
let kamailio: Kamailio;
beforeAll(async () => {
  [browser, kamailio] = await Promise.all([launchBrowser(), startKamailio()]);
});
afterAll(() => kamailio.stop());

async function openSettings(): Promise<Page> {
  const dns = labDns(kamailio);
  const { core, bridge } = await testCore({ host: 'web', dns });
  const web = await startWebHost({
    bridge,
    subscribe: (sink) => core.subscribe(sink),
    staticDir: join(readAppMeta().root, 'dist', 'renderer'),
    logger: silentLogger,
  });
  const page = await browser.newPage();
  afterAll(async () => {
    await page.close();
    await web.close();
  });
  await page.goto(web.url);
  await page.getByTestId('nav-settings').click();
  return page;
}

async function addAccount(page: Page, user: string, password: string): Promise<void> {
  await page.getByTestId('account-user').fill(user);
  await page.getByTestId('account-domain').fill('lab.test');
  await page.getByTestId('account-password').fill(password);
  await page.getByTestId('account-add').click();
}

describe('registration in the UI', () => {
  it('adds an account and shows it registered at Kamailio', async () => {
    const page = await openSettings();
    await addAccount(page, 'eve', 'evepass');
    const item = page.getByTestId('account-item').first();
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 5000 }).toBe('registered');
    expect(await page.getByTestId('account-item-status').first().textContent()).toBe('Registered');
    expect(await page.getByTestId('account-status').textContent()).toMatch(/registered/i);
    const registered = (await kamailio.dumpRegistrations()).map((r) => r.aor);
    expect(registered.some((aor) => aor.startsWith('eve'))).toBe(true);
    await page.screenshot({ path: join(artifactsDir, 'settings-registered.png') });
  });

  it('shows a wrong password as a failed registration with its reason', async () => {
    const page = await openSettings();
    await addAccount(page, 'carol', 'wrong');
    const item = page.getByTestId('account-item').first();
    await expect.poll(() => item.getAttribute('data-state'), { timeout: 5000 }).toBe('failed');
    expect(await page.getByTestId('account-item-status').first().textContent()).toBe('Registration failed: 401 wrong password');
  });
});
