/**
 * The SIP ladder diagram end to end (issue 11 point 8): eve, in the web UI, calls baresip bob
 * through the lab's Kamailio, bob answers, eve hangs up; the call's ladder (from the calls panel
 * while it lasts, from the history once over) shows INVITE 100 180 200 ACK BYE 200 between the
 * phone and the proxy, the full message on click, and exports the dialog as text; after a reload
 * (the log in memory gone) the same ladder from the messages kept with the history entry.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { startBaresip, type Baresip } from '../interop/lab/baresip.js';
import { startKamailio, type Kamailio } from '../interop/lab/kamailio.js';
import { openPhone, registerInUi, screenshot } from './ui-phone.js';

let browser: Browser;
let kamailio: Kamailio;
let bob: Baresip;
beforeAll(async () => {
  [browser, kamailio] = await Promise.all([launchBrowser(), startKamailio()]);
  bob = await startBaresip({ user: 'bob', kamailio, answerMode: 'manual' });
});
afterAll(async () => {
  await bob?.stop();
  await kamailio?.stop();
});

const labels = (page: Page) => page.getByTestId('ladder-arrow').evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset['label'] ?? ''));

/** `wanted` appear in this order in `all` (other messages, e.g. a 407 challenge, may come between). */
function inOrder(all: readonly string[], wanted: readonly RegExp[]): boolean {
  let at = 0;
  for (const label of all) if (at < wanted.length && wanted[at]!.test(label)) at++;
  return at === wanted.length;
}

describe('SIP ladder diagram', () => {
  it("shows a finished call's messages with baresip, the full text on click, and exports them", async () => {
    const { page, core } = await openPhone(browser, kamailio);
    await registerInUi(page, 'eve', 'evepass');

    await page.getByTestId('nav-calls').click();
    await page.getByTestId('dial-input').fill('bob');
    await page.getByTestId('dial-button').click();
    await bob.ctrl.waitForEvent('CALL_INCOMING', { timeoutMs: 8000 });
    const call = page.getByTestId('call-item').first();
    await expect.poll(() => call.getAttribute('data-state'), { timeout: 5000 }).toBe('ringing');
    await bob.ctrl.command('accept');
    await expect.poll(() => call.getAttribute('data-state'), { timeout: 8000 }).toBe('established');

    // While the call lasts: its ladder from the calls panel, filtered to its Call-ID.
    await page.getByTestId('call-sip').click();
    await expect.poll(() => page.getByTestId('sip-filter-callid').inputValue()).not.toBe('');
    await expect.poll(async () => inOrder(await labels(page), [/^INVITE \(SDP\)$/, /^180 /, /^200 .*\(SDP\)$/, /^ACK$/])).toBe(true);
    await page.getByTestId('nav-calls').click();
    await page.getByTestId('call-hangup').first().click();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    await expect.poll(() => page.getByTestId('call-item').count(), { timeout: 5000 }).toBe(0);

    // Once over: from the history.
    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-sip').first().click();
    const callId = await page.getByTestId('sip-filter-callid').inputValue();
    expect(callId).not.toBe('');
    // baresip says "200 Answering"; Kamailio challenges the first INVITE (407, ACK) before its 100.
    const wanted = [/^INVITE \(SDP\)$/, /^100 /, /^180 Ringing$/, /^200 .*\(SDP\)$/, /^ACK$/, /^BYE$/, /^200 OK$/];
    await expect.poll(async () => inOrder(await labels(page), wanted), { timeout: 5000 }).toBe(true);
    const rows = page.getByTestId('ladder-arrow');
    // Every message belongs to the dialog: nothing of the registration.
    expect(await labels(page)).not.toContain('REGISTER');
    // Two columns: this phone (whatever socket or connection it used) and Kamailio.
    expect(await page.getByTestId('ladder-party').allTextContents()).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/), `127.0.0.1:${kamailio.udpPort}`]);
    // Requests go from the phone to the proxy, the answers come back.
    const first = rows.first();
    expect(await first.getAttribute('data-direction')).toBe('out');
    expect(await rows.filter({ has: page.locator('text=180 Ringing') }).first().getAttribute('data-direction')).toBe('in');

    // The full message on click, as text.
    const ringing = rows.and(page.locator('[data-label="180 Ringing"]')).first();
    await ringing.click();
    expect(await ringing.getAttribute('aria-selected')).toBe('true');
    const text = (await page.getByTestId('ladder-message').textContent()) ?? '';
    expect(text).toMatch(/^SIP\/2\.0 180 Ringing\r?\n/);
    expect(text).toContain(`Call-ID: ${callId}`);

    // The keyboard: arrows move focus and selection along the messages.
    await ringing.focus();
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset['label']);
    const all = await labels(page);
    expect(focused).toBe(all[all.indexOf('180 Ringing') + 1]);
    expect((await page.getByTestId('ladder-message').textContent()) ?? '').not.toMatch(/^SIP\/2\.0 180/);
    await screenshot(page, 'sip-ladder');

    // Filters: by method (a response counts as its request's method), by text.
    await page.getByTestId('sip-filter-method').selectOption('BYE');
    await expect.poll(() => labels(page)).toEqual(['BYE', '200 OK']);
    await page.getByTestId('sip-filter-method').selectOption('');
    await page.getByTestId('sip-filter-text').fill('Ringing');
    await expect.poll(() => labels(page)).toEqual(['180 Ringing']);
    await page.getByTestId('sip-filter-text').fill('');

    // Export: a .txt of the dialog, every message with its addresses.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('sip-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^sip-.+\.txt$/);
    const exported = readFileSync(await download.path(), 'utf8');
    expect(exported).toContain(`Call-ID ${callId}`);
    expect(exported).toMatch(/\+0\.000 s (UDP|TCP) 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+\nINVITE sip:bob@lab\.test/);
    expect(exported).toMatch(/\nBYE sip:/);
    expect(exported).toMatch(/\nSIP\/2\.0 180 Ringing\n/);
    expect(exported.split('\nCall-ID: ').length - 1).toBe(all.length);

    // After a reload the log in memory is empty: the ladder comes from the messages kept with the
    // history entry, INVITE to BYE, and no credential was kept.
    await page.reload();
    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-sip').first().click();
    await expect.poll(() => page.getByTestId('sip-filter-callid').inputValue(), { timeout: 5000 }).toBe(callId);
    await expect.poll(async () => inOrder(await labels(page), wanted), { timeout: 5000 }).toBe(true);
    expect(await page.getByTestId('sip-stored').textContent()).toBe('These messages were kept with the call in the history.');
    expect(await labels(page)).not.toContain('REGISTER');
    const [entry] = await core.handlers['history.list']({ filter: 'all', limit: 1 });
    const kept = await core.handlers['history.sipLog']({ id: entry!.id });
    const credentials = kept.messages.flatMap((m) => m.text.split(/\r?\n/).filter((line) => /^proxy-authorization:/i.test(line)));
    expect(credentials.length).toBeGreaterThan(0);
    for (const line of credentials) expect(line).toMatch(/response="<redacted>"$/);
  });
});
