/**
 * End to end with real peers, as a user would (issue "SIP stack II" point 6): in Debian's
 * Chromium the web UI adds an account and sees it register at the lab's Kamailio, calls baresip
 * bob from the dialpad and hangs up, then answers a call from bob. DNS is a stub.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NullDriver } from '../../main/core/audio/index.js';
import { silentLogger } from '../../main/core/log.js';
import { readAppMeta } from '../../main/hosts/app-meta.js';
import { startWebHost } from '../../main/hosts/web/server.js';
import { artifactsDir, launchBrowser } from '../helpers/browser.js';
import { testCore } from '../helpers/core.js';
import { startBaresip, type Baresip } from '../interop/lab/baresip.js';
import { startKamailio, type Kamailio } from '../interop/lab/kamailio.js';
import { labDns } from '../interop/lab/dns.js';

let browser: Browser;
let kamailio: Kamailio;
let bob: Baresip;
beforeAll(async () => {
  [browser, kamailio] = await Promise.all([launchBrowser(), startKamailio()]);
  bob = await startBaresip({ user: 'bob', kamailio, answerMode: 'auto' });
});
afterAll(async () => {
  await bob.stop();
  await kamailio.stop();
});

async function openPhone(): Promise<Page> {
  const dns = labDns(kamailio);
  const { core, bridge } = await testCore({ host: 'web', dns, audio: { driver: new NullDriver(), statsIntervalSeconds: 1 } });
  const web = await startWebHost({ bridge, subscribe: (sink) => core.subscribe(sink), staticDir: join(readAppMeta().root, 'dist', 'renderer'), logger: silentLogger });
  const page = await browser.newPage();
  afterAll(async () => {
    await page.close();
    await web.close();
  });
  await page.goto(web.url);
  return page;
}

describe('calls in the UI', () => {
  it('registers, calls bob and hangs up, then answers bob', async () => {
    const page = await openPhone();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('account-user').fill('eve');
    await page.getByTestId('account-domain').fill('lab.test');
    await page.getByTestId('account-password').fill('evepass');
    await page.getByTestId('account-add').click();
    await expect.poll(() => page.getByTestId('account-item').first().getAttribute('data-state'), { timeout: 5000 }).toBe('registered');

    await page.getByTestId('nav-calls').click();
    await page.getByTestId('dial-input').fill('bob');
    await page.getByTestId('dial-button').click();
    const call = page.getByTestId('call-item').first();
    await expect.poll(() => call.getAttribute('data-state'), { timeout: 8000 }).toBe('established');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 5000 });
    // The quality line from call.stats, the in-call keypad, and digits from the other side.
    await expect.poll(() => page.getByTestId('call-quality').textContent(), { timeout: 5000 }).toMatch(/^MOS \d\.\d · loss \d+\.\d % · jitter \d+ ms/);
    await page.getByTestId('call-keypad-toggle').click();
    await page.getByTestId('call-key-5').click();
    const dtmf = await bob.ctrl.waitForEvent('CALL_DTMF_START', { timeoutMs: 5000 });
    expect((dtmf as { param?: string }).param).toBe('5');
    await bob.ctrl.command('sndcode', '7');
    await expect.poll(() => page.getByTestId('call-digits').textContent(), { timeout: 5000 }).toBe('Received: 7');
    await page.screenshot({ path: join(artifactsDir, 'call-established.png') });
    await page.getByTestId('call-hangup').first().click();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    await expect.poll(() => page.getByTestId('call-item').count(), { timeout: 5000 }).toBe(0);

    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const banner = page.getByTestId('incoming-call');
    await banner.waitFor({ timeout: 8000 });
    expect(await banner.textContent()).toContain('bob');
    await page.screenshot({ path: join(artifactsDir, 'call-incoming.png') });
    await page.getByTestId('incoming-answer').click();
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 5000 });
    await expect.poll(() => page.getByTestId('call-item').first().getAttribute('data-state'), { timeout: 5000 }).toBe('established');
    await bob.ctrl.command('hangup');
    await expect.poll(() => page.getByTestId('call-item').count(), { timeout: 5000 }).toBe(0);
  });
});
