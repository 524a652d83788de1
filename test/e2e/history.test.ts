/**
 * Call history in the UI, end to end (issue #8 point 6): baresip bob calls eve (our core, in
 * Debian's Chromium through the web host) and gives up; the History tab shows a missed-call
 * badge — after a reload too — that opening it clears; the entry calls bob back, and the
 * filters, quality and delete work on what the calls left behind.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NullDriver } from '../../main/core/audio/index.js';
import type { Core } from '../../main/core/index.js';
import { silentLogger } from '../../main/core/log.js';
import { readAppMeta } from '../../main/hosts/app-meta.js';
import { startWebHost } from '../../main/hosts/web/server.js';
import { accountFields } from '../helpers/account-fields.js';
import { artifactsDir, launchBrowser } from '../helpers/browser.js';
import { testCore } from '../helpers/core.js';
import { startBaresip, type Baresip } from '../interop/lab/baresip.js';
import { labDns } from '../interop/lab/dns.js';
import { startKamailio, type Kamailio } from '../interop/lab/kamailio.js';

let browser: Browser;
let kamailio: Kamailio;
let bob: Baresip;
beforeAll(async () => {
  [browser, kamailio] = await Promise.all([launchBrowser(), startKamailio()]);
  bob = await startBaresip({ user: 'bob', kamailio, answerMode: 'auto', accountParams: ';audio_codecs=pcmu' });
});
afterAll(async () => {
  await bob?.stop();
  await kamailio?.stop();
});

async function registeredPhone(): Promise<{ page: Page; core: Core }> {
  const { core, bridge } = await testCore({ host: 'web', dns: labDns(kamailio), audio: { driver: new NullDriver(), rtpTimeoutSeconds: 0, statsIntervalSeconds: 1 } });
  const web = await startWebHost({ bridge, subscribe: (sink) => core.subscribe(sink), staticDir: join(readAppMeta().root, 'dist', 'renderer'), logger: silentLogger });
  const page = await browser.newPage();
  afterAll(async () => {
    await page.close();
    await web.close();
  });
  await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', srtp: 'off' }));
  await expect.poll(async () => (await core.handlers['accounts.list']({}))[0]?.status.state, { timeout: 8000 }).toBe('registered');
  await page.goto(web.url);
  await page.getByTestId('app-shell').waitFor();
  return { page, core };
}

const text = (page: Page, testId: string) => () => page.getByTestId(testId).textContent({ timeout: 500 }).catch(() => null);
const items = (page: Page) => page.getByTestId('history-item');

describe('call history in the UI', () => {
  it('a call from bob that nobody answers: missed badge, cleared on opening History; call back; filters and delete', async () => {
    const { page, core } = await registeredPhone();
    expect(await page.getByTestId('nav-history-badge').count()).toBe(0);

    // bob rings and gives up (CANCEL): a missed call.
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    await page.getByTestId('incoming-call').waitFor({ timeout: 8000 });
    await bob.ctrl.command('hangup');
    await expect.poll(() => page.getByTestId('incoming-call').count(), { timeout: 5000 }).toBe(0);
    await expect.poll(text(page, 'nav-history-badge'), { timeout: 5000 }).toBe('1');
    // The tab says it to a screen reader too.
    expect(await page.getByTestId('nav-history').textContent()).toContain('1 missed');

    // A reload counts the unseen missed calls from history.list.
    await page.reload();
    await page.getByTestId('app-shell').waitFor();
    await expect.poll(text(page, 'nav-history-badge'), { timeout: 5000 }).toBe('1');

    // Opening History is seeing them: the badge goes, and the core's counter is back to zero.
    await page.getByTestId('nav-history').click();
    await expect.poll(() => page.getByTestId('nav-history-badge').count(), { timeout: 5000 }).toBe(0);
    expect((await core.handlers['history.list']({ filter: 'missed', limit: 10 })).map((e) => e.unseen ?? false)).toEqual([false]);
    const missed = items(page).first();
    expect(await missed.getAttribute('data-outcome')).toBe('missed');
    expect(await missed.getAttribute('data-direction')).toBe('incoming');
    expect(await missed.getByTestId('history-name').textContent()).toMatch(/bob/);
    expect(await missed.getByTestId('history-outcome').textContent()).toBe('Missed');
    expect(await missed.getByTestId('history-outcome').getAttribute('data-tone')).toBe('warning');
    expect(await missed.getByTestId('history-time').textContent()).toMatch(/^\d\d:\d\d$/);
    expect(await missed.getByTestId('history-duration').count()).toBe(0);
    await page.screenshot({ path: join(artifactsDir, 'history-missed.png') });

    // Call back: bob answers (auto), the Calls screen shows the call; we hang up after a while.
    bob.ctrl.clearEvents();
    await missed.getByTestId('history-call').click();
    const call = page.getByTestId('call-item');
    await expect.poll(() => call.getAttribute('data-state', { timeout: 500 }).catch(() => null), { timeout: 8000 }).toBe('established');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 5000 });
    // Long enough for a quality figure from RTCP and the jitter buffer.
    await page.getByTestId('call-quality').waitFor({ timeout: 8000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await call.getByTestId('call-hangup').click();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });

    // The history, newest first: the call back (answered, with a duration and quality), the missed call.
    await page.getByTestId('nav-history').click();
    await expect.poll(() => items(page).count(), { timeout: 5000 }).toBe(2);
    const back = items(page).first();
    expect(await back.getAttribute('data-direction')).toBe('outgoing');
    expect(await back.getAttribute('data-outcome')).toBe('answered');
    expect(await back.getByTestId('history-duration').textContent()).toMatch(/^0:(0[1-9]|[1-5]\d)$/);
    expect(await back.getByTestId('history-mos').textContent()).toMatch(/^MOS \d\.\d$/);
    await page.screenshot({ path: join(artifactsDir, 'history.png') });

    // Filters.
    await page.getByTestId('history-filter-missed').click();
    await expect.poll(() => items(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-outcome'))), { timeout: 5000 }).toEqual(['missed']);
    expect(await page.getByTestId('history-filter-missed').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('history-filter-outgoing').click();
    await expect.poll(() => items(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-direction'))), { timeout: 5000 }).toEqual(['outgoing']);
    await page.getByTestId('history-filter-incoming').click();
    await expect.poll(() => items(page).evaluateAll((els) => els.map((el) => el.getAttribute('data-direction'))), { timeout: 5000 }).toEqual(['incoming']);

    // Delete the missed call: gone from the page and from the core.
    await items(page).first().getByTestId('history-delete').click();
    await page.getByTestId('history-empty').waitFor({ timeout: 5000 });
    await page.getByTestId('history-filter-all').click();
    await expect.poll(() => items(page).count(), { timeout: 5000 }).toBe(1);
    expect((await core.handlers['history.list']({ filter: 'all', limit: 10 })).map((e) => e.outcome)).toEqual(['answered']);
  });

  it('pages: "Load more" fetches the calls before the oldest shown', async () => {
    const { page, core } = await registeredPhone();
    // 55 calls that fail at once (no such user): more than one page of 50.
    for (let i = 0; i < 55; i++) {
      const call = await core.handlers['calls.dial']({ target: `nobody${i}` });
      await expect.poll(async () => (await core.handlers['calls.list']({})).some((c) => c.id === call.id), { timeout: 5000 }).toBe(false);
      // Distinct start times: the next page is "before the oldest shown".
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    // The open page took each call as it ended; a fresh one loads the first page only.
    await page.reload();
    await page.getByTestId('nav-history').click();
    await expect.poll(() => items(page).count(), { timeout: 5000 }).toBe(50);
    expect(await items(page).first().getByTestId('history-name').textContent()).toContain('nobody54');
    await page.getByTestId('history-more').click();
    await expect.poll(() => items(page).count(), { timeout: 5000 }).toBe(55);
    expect(await items(page).last().getByTestId('history-name').textContent()).toContain('nobody0');
    expect(await page.getByTestId('history-more').count()).toBe(0);
    expect(await items(page).first().getByTestId('history-outcome').textContent()).toMatch(/^Failed: 404/);
  });
});
