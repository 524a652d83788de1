/**
 * Network text is text (issue 11 point 9): a caller whose display name is markup —
 * `<img src=x onerror=alert(1)>` — rings eve's web UI through the lab's Kamailio. The incoming
 * banner, the history and the SIP log show the name as typed, no element is made of it and no
 * dialog opens, even with the page's CSP lifted (the CSP would hide a mistake). The caller is a
 * second core registered as alice, since the lab's baresip account line has no display name.
 * And the dialpad with baresip bob: letters to digits, a contact suggested as typed, redial, a
 * caller added to the contacts from the history, and a contacts list of hundreds drawn in part.
 */
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountFields } from '../helpers/account-fields.js';
import { launchBrowser } from '../helpers/browser.js';
import { testCore } from '../helpers/core.js';
import { startBaresip, type Baresip } from '../interop/lab/baresip.js';
import { labDns } from '../interop/lab/dns.js';
import { startKamailio, type Kamailio } from '../interop/lab/kamailio.js';
import { openPhone, registerInUi, screenshot } from './ui-phone.js';

const MARKUP = '<img src=x onerror=alert(1)>';
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let browser: Browser;
let kamailio: Kamailio;
let bob: Baresip;
beforeAll(async () => {
  [browser, kamailio] = await Promise.all([launchBrowser(), startKamailio()]);
  bob = await startBaresip({ user: 'bob', kamailio, answerMode: 'auto' });
});
afterAll(async () => {
  await bob?.stop();
  await kamailio?.stop();
});

describe('text from the network in the UI', () => {
  it('a display name made of markup shows as text and runs nothing', async () => {
    const { page } = await openPhone(browser, kamailio, { bypassCSP: true });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await registerInUi(page, 'eve', 'evepass');
    await page.getByTestId('nav-calls').click();

    const { core: alice } = await testCore({ dns: labDns(kamailio) });
    const account = await alice.handlers['accounts.add'](
      accountFields({ user: 'alice', domain: 'lab.test', password: 'alicepass', displayName: MARKUP, transport: 'udp', registerExpires: 300, register: true, enabled: true }),
    );
    await expect.poll(async () => (await alice.handlers['accounts.list']({})).find((a) => a.id === account.id)?.status.state, { timeout: 8000 }).toBe('registered');
    const outgoing = await alice.handlers['calls.dial']({ target: 'eve' });

    const banner = page.getByTestId('incoming-call');
    await banner.waitFor({ timeout: 8000 });
    expect(await page.getByTestId('incoming-name').textContent()).toBe(MARKUP);
    expect(await banner.locator('img').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    // The ringing screen passes axe-core too.
    await page.addScriptTag({ path: axePath });
    const serious = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (c: Document) => Promise<{ violations: { id: string; impact: string | null }[] }> } }).axe;
      return (await axe.run(document)).violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
    });
    expect(serious).toEqual([]);
    await screenshot(page, 'incoming-markup-name');

    await page.getByTestId('incoming-decline').click();
    await expect.poll(async () => (await alice.handlers['calls.list']({})).some((c) => c.id === outgoing.id), { timeout: 5000 }).toBe(false);

    await page.getByTestId('nav-history').click();
    await expect.poll(() => page.getByTestId('history-name').first().textContent(), { timeout: 5000 }).toBe(MARKUP);
    await page.getByTestId('history-sip').first().click();
    await page.locator('[data-testid="ladder-arrow"][data-method="INVITE"]').first().click();
    expect(await page.getByTestId('ladder-message').textContent()).toContain(`From: "${MARKUP}"`);
    expect(await page.locator('img').count()).toBe(0);
    // Whatever an image's error handler would have had time to do, it did not.
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
  });
});

describe('dialpad, history and contacts', () => {
  it('dials letters as digits, suggests a contact, redials, adds a caller from the history, and draws a long list in part', async () => {
    const { page, core } = await openPhone(browser, kamailio);
    await registerInUi(page, 'eve', 'evepass');
    await page.getByTestId('nav-calls').click();
    const field = page.getByTestId('dial-input');
    await field.fill('1-800-FLOWERS');
    expect(await field.inputValue()).toBe('18003569377');
    await field.fill('bob');
    expect(await field.inputValue()).toBe('bob');

    // bob is called, answers (auto), and is hung up on; then he is added to the contacts from the history.
    await page.getByTestId('dial-button').click();
    const call = page.getByTestId('call-item').first();
    await expect.poll(() => call.getAttribute('data-state'), { timeout: 8000 }).toBe('established');
    await page.getByTestId('call-hangup').first().click();
    await expect.poll(() => page.getByTestId('call-item').count(), { timeout: 5000 }).toBe(0);
    await page.getByTestId('nav-history').click();
    await page.getByTestId('history-add-contact').first().click();
    await expect.poll(() => page.getByTestId('history-notice').textContent()).toBe('bob added to the contacts.');
    await expect.poll(() => page.getByTestId('history-add-contact').count()).toBe(0);

    // The dialpad suggests him as his name is typed; the keys pick him.
    await page.getByTestId('nav-calls').click();
    await field.fill('bo');
    await expect.poll(() => page.getByTestId('dial-suggestion').allTextContents()).toEqual([expect.stringContaining('bob')]);
    await screenshot(page, 'dialpad-suggestions');
    await field.press('ArrowDown');
    await field.press('Enter');
    expect(await field.inputValue()).toBe('sip:bob@lab.test');
    await field.fill('');

    // Redial: the last outgoing call, again.
    await page.getByTestId('dial-redial').click();
    await expect.poll(() => page.getByTestId('call-item').first().getAttribute('data-state'), { timeout: 8000 }).toBe('established');
    expect(await page.getByTestId('call-name').first().textContent()).toMatch(/bob/);
    await page.getByTestId('call-hangup').first().click();
    await expect.poll(() => page.getByTestId('call-item').count(), { timeout: 5000 }).toBe(0);

    // Three hundred more contacts: only those in view are drawn, the rest as the list scrolls.
    for (let i = 0; i < 300; i++) await core.handlers['contacts.add']({ name: `Zed ${String(i).padStart(3, '0')}`, addresses: [{ kind: 'phone', value: `+4420794${String(i).padStart(5, '0')}` }], favourite: false, presence: false, blf: false });
    await page.reload();
    await page.getByTestId('nav-contacts').click();
    await expect.poll(() => page.getByTestId('contact-item').count(), { timeout: 5000 }).toBeGreaterThan(3);
    expect(await page.getByTestId('contact-item').count()).toBeLessThan(40);
    await page.locator('#contacts-list').evaluate((list) => {
      const scroller = list.parentElement!;
      scroller.scrollTop = scroller.scrollHeight;
    });
    await expect.poll(() => page.getByTestId('contact-name').allTextContents(), { timeout: 5000 }).toContain('Zed 299');
    expect(await page.getByTestId('contact-item').count()).toBeLessThan(40);
    await screenshot(page, 'contacts-long-list');
  });
});
