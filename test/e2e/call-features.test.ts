/**
 * Call features in the UI, end to end (issue #7 point 8): Debian's Chromium drives the web UI of
 * a real core registered as eve at the lab's Kamailio; baresip instances are bob, carol and dave.
 * Hold and resume each way, a blind transfer, call waiting with answer-and-hold and swap,
 * ignoring and declining a waiting call, a transfer request answered by the user, and a
 * three-way conference with recording. Flows as in test/interop/call-features.test.ts, but every
 * action is a click and every check is what the page shows.
 */
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NullDriver } from '../../main/core/audio/index.js';
import type { Core } from '../../main/core/index.js';
import { silentLogger } from '../../main/core/log.js';
import { readAppMeta } from '../../main/hosts/app-meta.js';
import { startWebHost } from '../../main/hosts/web/server.js';
import type { AccountFieldsInput } from '../../shared/model.js';
import { accountFields } from '../helpers/account-fields.js';
import { artifactsDir, launchBrowser } from '../helpers/browser.js';
import { testCore } from '../helpers/core.js';
import { startBaresip, type Baresip } from '../interop/lab/baresip.js';
import { labDns } from '../interop/lab/dns.js';
import { startKamailio, type Kamailio } from '../interop/lab/kamailio.js';

let browser: Browser;
let kamailio: Kamailio;
const peers: Baresip[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [browser, kamailio] = await Promise.all([launchBrowser(), startKamailio()]);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});
afterAll(async () => {
  await kamailio.stop();
});

async function peer(user: 'bob' | 'carol' | 'dave', answerMode: 'auto' | 'manual' = 'auto'): Promise<Baresip> {
  const b = await startBaresip({ user, kamailio, answerMode, accountParams: ';audio_codecs=pcmu' });
  peers.push(b);
  return b;
}

/** Our phone's page on the web host, over a fresh core (no account yet). */
async function openPhone(): Promise<{ page: Page; core: Core }> {
  const { core, bridge } = await testCore({ host: 'web', dns: labDns(kamailio), audio: { driver: new NullDriver(), rtpTimeoutSeconds: 0, statsIntervalSeconds: 1 } });
  const web = await startWebHost({ bridge, subscribe: (sink) => core.subscribe(sink), staticDir: join(readAppMeta().root, 'dist', 'renderer'), logger: silentLogger });
  const page = await browser.newPage();
  cleanups.push(async () => {
    await page.close();
    await web.close();
  });
  await page.goto(web.url);
  await page.getByTestId('app-shell').waitFor();
  return { page, core };
}

/** Our phone registered as eve (through the core: the account form has its own tests below). */
async function registeredPhone(fields: Partial<AccountFieldsInput> = {}): Promise<Page> {
  const { page, core } = await openPhone();
  await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', srtp: 'off', ...fields }));
  await expect.poll(async () => (await core.handlers['accounts.list']({}))[0]?.status.state, { timeout: 8000 }).toBe('registered');
  return page;
}

/** The call whose shown name contains `who`. */
function callWith(page: Page, who: string): Locator {
  return page.getByTestId('call-item').filter({ has: page.getByTestId('call-name').filter({ hasText: who }) });
}

async function dialFromUi(page: Page, target: string): Promise<Locator> {
  await page.getByTestId('dial-input').fill(target);
  await page.getByTestId('dial-button').click();
  const call = callWith(page, target);
  await expect.poll(() => call.getAttribute('data-state'), { timeout: 8000 }).toBe('established');
  return call;
}

/**
 * Records in the page every value an element's attribute takes (or its text, without attr),
 * for what shows only a moment before the call leaves the list. A script in the page: this
 * file is type-checked without the DOM library.
 */
async function watchTestId(page: Page, testId: string, attribute?: string): Promise<void> {
  await page.evaluate(`{
    const seen = ((window.seenValues ??= {})[${JSON.stringify(testId)}] = []);
    const note = () => {
      const el = document.querySelector('[data-testid=${JSON.stringify(testId)}]');
      const value = el == null ? null : ${attribute === undefined ? 'el.textContent' : `el.getAttribute(${JSON.stringify(attribute)})`};
      if (value != null && seen.at(-1) !== value) seen.push(value);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  }`);
}
async function seenValues(page: Page, testId: string): Promise<string[]> {
  return (await page.evaluate(`window.seenValues[${JSON.stringify(testId)}]`)) as string[];
}

const attr = (locator: Locator, name: string) => () => locator.getAttribute(name, { timeout: 1000 }).catch(() => null);
const text = (locator: Locator) => () => locator.textContent({ timeout: 1000 }).catch(() => null);

describe('hold and resume in the UI', () => {
  it('we hold bob and the call shows it, then resume; bob holds us and we see it', async () => {
    const bob = await peer('bob');
    const page = await registeredPhone();
    const call = await dialFromUi(page, 'bob');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });

    await call.getByTestId('call-hold').click();
    await expect.poll(attr(call, 'data-held'), { timeout: 5000 }).toBe('true');
    expect(await call.getByTestId('call-badge-held').textContent()).toBe('On hold');
    // Resuming with no other call is a plain resume, not a swap.
    expect(await call.getByTestId('call-resume').textContent()).toBe('Resume');
    await page.screenshot({ path: join(artifactsDir, 'call-held.png') });
    await call.getByTestId('call-resume').click();
    await expect.poll(attr(call, 'data-held'), { timeout: 5000 }).toBe('false');
    expect(await call.getByTestId('call-badge-held').count()).toBe(0);
    await call.getByTestId('call-hold').waitFor({ timeout: 2000 });

    await bob.ctrl.command('hold');
    await expect.poll(attr(call, 'data-remote-held'), { timeout: 8000 }).toBe('true');
    expect(await call.getByTestId('call-badge-remote-held').textContent()).toBe('Holding you');
    await bob.ctrl.command('resume');
    await expect.poll(attr(call, 'data-remote-held'), { timeout: 8000 }).toBe('false');

    await call.getByTestId('call-hangup').click();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    await expect.poll(() => page.getByTestId('call-item').count(), { timeout: 5000 }).toBe(0);
  });
});

describe('transfers in the UI', () => {
  it('blind: we transfer bob to carol from the transfer panel; carol gets the call, ours shows success and ends', async () => {
    const bob = await peer('bob');
    const carol = await peer('carol');
    const page = await registeredPhone();
    const call = await dialFromUi(page, 'bob');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    // Every transfer state the page shows, in order (the last ones last only a moment).
    await watchTestId(page, 'call-transfer-status', 'data-transfer-state');

    await call.getByTestId('call-transfer-toggle').click();
    const target = call.getByTestId('call-transfer-target');
    // The panel opens with the target field focused; Escape closes it, back on the toggle.
    await expect.poll(() => page.evaluate('document.activeElement?.dataset.testid')).toBe('call-transfer-target');
    await page.keyboard.press('Escape');
    await expect.poll(() => call.getByTestId('call-transfer-panel').count()).toBe(0);
    expect(await page.evaluate('document.activeElement?.dataset.testid')).toBe('call-transfer-toggle');
    await page.keyboard.press('Enter');
    await target.fill('carol');
    await target.press('Enter');

    await carol.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 10_000 });
    await expect.poll(() => page.getByTestId('call-item').count(), { timeout: 8000 }).toBe(0);
    const states = await seenValues(page, 'call-transfer-status');
    expect(states[0]).toBe('trying');
    expect(states.at(-1)).toBe('succeeded');
    expect(states).not.toContain('failed');
    // The ended call says where it went.
    expect(await page.getByTestId('call-ended').textContent()).toContain('Transferred to sip:carol@lab.test');
    await carol.ctrl.command('hangup');
    await carol.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  });

  it('blind to nobody: the transfer shows it failed, with the reason, and the call is ours again', async () => {
    const bob = await peer('bob');
    const page = await registeredPhone();
    const call = await dialFromUi(page, 'bob');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await call.getByTestId('call-transfer-toggle').click();
    await call.getByTestId('call-transfer-target').fill('nobody');
    await call.getByTestId('call-transfer-blind').click();
    const status = call.getByTestId('call-transfer-status');
    await expect.poll(attr(status, 'data-transfer-state'), { timeout: 10_000 }).toBe('failed');
    expect(await status.textContent()).toMatch(/^Transfer to sip:nobody@lab\.test failed: \d{3} /);
    await page.screenshot({ path: join(artifactsDir, 'call-transfer-failed.png') });
    await expect.poll(attr(call, 'data-held'), { timeout: 5000 }).toBe('false');
    await call.getByTestId('call-hangup').click();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  });

  it('refused: with the policy "refuse", bob\'s transfer request is declined and the call says so', async () => {
    const bob = await peer('bob');
    await peer('carol');
    const page = await registeredPhone({ transferPolicy: 'refuse' });
    await dialFromUi(page, 'bob');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await watchTestId(page, 'call-transfer-refused');
    await bob.ctrl.command('transfer', 'sip:carol@lab.test');
    await expect.poll(() => bob.logTail(20), { timeout: 5000 }).toContain('transfer failed: 603');
    // baresip 1.0 hangs up after a failed transfer: the note may be gone already.
    await expect.poll(() => seenValues(page, 'call-transfer-refused'), { timeout: 5000 }).toEqual([expect.stringMatching(/asked to transfer you; refused \(603 transfers are refused by this account\)/)]);
    expect(await page.getByTestId('call-transfer-request').count()).toBe(0);
  });

  it('attended: we call bob, then carol (bob is held), and connect bob to carol; both our calls end', async () => {
    const bob = await peer('bob');
    const carol = await peer('carol');
    const page = await registeredPhone();
    const toBob = await dialFromUi(page, 'bob');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    const toCarol = await dialFromUi(page, 'carol');
    await expect.poll(attr(toBob, 'data-held'), { timeout: 5000 }).toBe('true');

    await toBob.getByTestId('call-transfer-toggle').click();
    const consult = toBob.getByTestId('call-transfer-consult');
    expect(await consult.locator('option').allTextContents()).toEqual(['sip:carol@lab.test']);
    // The blind target can also be picked from the other calls' addresses.
    expect(await toBob.locator('datalist option').evaluateAll((options) => options.map((o) => o.getAttribute('value')))).toEqual(['sip:carol@lab.test']);
    await page.screenshot({ path: join(artifactsDir, 'call-transfer-panel.png') });
    await toBob.getByTestId('call-transfer-attended').click();

    await expect.poll(() => page.getByTestId('call-item').count(), { timeout: 10_000 }).toBe(0);
    expect(await toCarol.count()).toBe(0);
    await carol.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000, match: (e) => JSON.stringify(e).includes('bob@') });
    await bob.ctrl.command('hangup');
  });

  it('asked: with the policy "ask" set in the account form, bob asks us to call carol; we accept and talk to carol', async () => {
    const bob = await peer('bob');
    const carol = await peer('carol');
    const { page } = await openPhone();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('account-user').fill('eve');
    await page.getByTestId('account-domain').fill('lab.test');
    await page.getByTestId('account-password').fill('evepass');
    await page.getByTestId('account-transfer-policy').selectOption('ask');
    await page.getByTestId('account-music-on-hold').check();
    await page.getByTestId('account-forward-no-answer').fill('dave');
    await page.getByTestId('account-forward-no-answer-seconds').fill('30');
    await page.getByTestId('account-add').click();
    await expect.poll(attr(page.getByTestId('account-item').first(), 'data-state'), { timeout: 8000 }).toBe('registered');
    await page.getByTestId('nav-calls').click();

    const call = await dialFromUi(page, 'bob');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await bob.ctrl.command('transfer', 'sip:carol@lab.test');
    const request = call.getByTestId('call-transfer-request');
    await request.waitFor({ timeout: 8000 });
    expect(await request.textContent()).toContain('sip:carol@lab.test');
    await page.screenshot({ path: join(artifactsDir, 'call-transfer-request.png') });
    await call.getByTestId('call-transfer-accept').click();

    const toCarol = callWith(page, 'carol');
    await expect.poll(attr(toCarol, 'data-state'), { timeout: 10_000 }).toBe('established');
    expect(await toCarol.getByTestId('call-transferred-from').count()).toBe(1);
    await carol.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 5000 });
    await expect.poll(() => call.count(), { timeout: 8000 }).toBe(0);
    await toCarol.getByTestId('call-hangup').click();
    await carol.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  });
});

describe('incoming call handling in the UI', () => {
  it('auto-answer: the alert counts down, then the call is answered by itself', async () => {
    const bob = await peer('bob');
    const page = await registeredPhone({ autoAnswer: 'all', autoAnswerDelaySeconds: 3 });
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const countdown = page.getByTestId('incoming-auto-answer');
    await countdown.waitFor({ timeout: 8000 });
    expect(await countdown.textContent()).toMatch(/^Answering automatically in [1-3] s$/);
    await page.screenshot({ path: join(artifactsDir, 'call-auto-answer.png') });
    const call = callWith(page, 'bob');
    await expect.poll(attr(call, 'data-state'), { timeout: 6000 }).toBe('established');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 5000 });
    expect(await page.getByTestId('incoming-call').count()).toBe(0);
    await call.getByTestId('call-hangup').click();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  });

  it('Do Not Disturb set in the account form refuses with the chosen code; turned off in the list, calls ring again', async () => {
    const bob = await peer('bob');
    const { page } = await openPhone();
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('account-user').fill('eve');
    await page.getByTestId('account-domain').fill('lab.test');
    await page.getByTestId('account-password').fill('evepass');
    expect(await page.getByTestId('account-dnd-code').isDisabled()).toBe(true);
    await page.getByTestId('account-dnd').check();
    await page.getByTestId('account-dnd-code').selectOption({ label: '603 Decline' });
    await page.screenshot({ path: join(artifactsDir, 'settings-call-handling.png'), fullPage: true });
    await page.getByTestId('account-add').click();
    const account = page.getByTestId('account-item').first();
    await expect.poll(attr(account, 'data-state'), { timeout: 8000 }).toBe('registered');
    expect(await account.getByTestId('account-item-handling').textContent()).toContain('Do Not Disturb (603 Decline)');
    expect(await account.getByTestId('account-dnd-toggle').getAttribute('aria-pressed')).toBe('true');

    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const closed = await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 8000 });
    expect(JSON.stringify(closed)).toContain('603');
    expect(await page.getByTestId('incoming-call').count()).toBe(0);

    await account.getByTestId('account-dnd-toggle').click();
    await expect.poll(attr(account.getByTestId('account-dnd-toggle'), 'aria-pressed'), { timeout: 5000 }).toBe('false');
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    await page.getByTestId('incoming-call').waitFor({ timeout: 8000 });
    await page.getByTestId('incoming-decline').click();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  });
});

describe('call settings of an account in the list', () => {
  it('are edited in place: forwarding and transfer policy saved, an emptied forwarding target removed', async () => {
    const { page, core } = await openPhone();
    await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass' }));
    await page.getByTestId('nav-settings').click();
    const account = page.getByTestId('account-item').first();
    await expect.poll(attr(account, 'data-state'), { timeout: 8000 }).toBe('registered');
    expect(await account.getByTestId('account-item-handling').count()).toBe(0);
    await account.getByTestId('account-call-settings').click();
    const form = account.getByTestId('account-call-settings-form');
    expect(await form.getByTestId('account-edit-transfer-policy').inputValue()).toBe('accept');
    await form.getByTestId('account-edit-forward-always').fill('carol');
    await form.getByTestId('account-edit-transfer-policy').selectOption('refuse');
    await form.getByTestId('account-edit-save').click();
    await expect.poll(() => form.count(), { timeout: 5000 }).toBe(0);
    expect(await account.getByTestId('account-item-handling').textContent()).toBe('forwards all calls to carol · refuses transfers');
    expect((await core.handlers['accounts.list']({}))[0]).toMatchObject({ forwardAlways: 'carol', transferPolicy: 'refuse' });

    // A target that is not an address is refused next to its field.
    await account.getByTestId('account-call-settings').click();
    await form.getByTestId('account-edit-forward-busy').fill('dave smith');
    await form.getByTestId('account-edit-save').click();
    await form.getByTestId('account-edit-forwardBusy-error').waitFor({ timeout: 5000 });
    expect(await form.getByTestId('account-edit-forward-busy').getAttribute('aria-invalid')).toBe('true');
    // Emptying a target removes it from the account.
    await form.getByTestId('account-edit-forward-busy').fill('');
    await form.getByTestId('account-edit-forward-always').fill('');
    await form.getByTestId('account-edit-save').click();
    await expect.poll(() => form.count(), { timeout: 5000 }).toBe(0);
    expect((await core.handlers['accounts.list']({}))[0]).not.toHaveProperty('forwardAlways');
    expect(await account.getByTestId('account-item-handling').textContent()).toBe('refuses transfers');
  });
});

describe('several lines in the UI', () => {
  it('call waiting: bob calls and we answer; dave calls and waits; we answer him and bob is held; we swap back', async () => {
    const bob = await peer('bob');
    const dave = await peer('dave');
    const page = await registeredPhone();

    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const banner = page.getByTestId('incoming-call');
    await banner.waitFor({ timeout: 8000 });
    expect(await banner.getAttribute('data-waiting')).toBe('false');
    await page.getByTestId('incoming-answer').click();
    const toBob = callWith(page, 'bob');
    await expect.poll(attr(toBob, 'data-state'), { timeout: 5000 }).toBe('established');

    await dave.ctrl.command('dial', 'sip:eve@lab.test');
    await banner.waitFor({ timeout: 8000 });
    expect(await banner.getAttribute('data-waiting')).toBe('true');
    expect(await page.getByTestId('incoming-label').textContent()).toBe('Call waiting');
    expect(await page.getByTestId('incoming-answer').textContent()).toContain('Answer & hold');
    await page.screenshot({ path: join(artifactsDir, 'call-waiting.png') });
    await page.getByTestId('incoming-answer').click();
    const toDave = callWith(page, 'dave');
    await expect.poll(attr(toDave, 'data-state'), { timeout: 5000 }).toBe('established');
    await expect.poll(attr(toBob, 'data-held'), { timeout: 5000 }).toBe('true');
    expect(await toDave.getAttribute('data-held')).toBe('false');
    expect(await banner.count()).toBe(0);

    // Swap: resuming bob holds dave.
    const swap = toBob.getByTestId('call-resume');
    expect(await swap.textContent()).toBe('Swap');
    await swap.click();
    await expect.poll(attr(toBob, 'data-held'), { timeout: 5000 }).toBe('false');
    await expect.poll(attr(toDave, 'data-held'), { timeout: 5000 }).toBe('true');
    await page.screenshot({ path: join(artifactsDir, 'call-swapped.png') });

    await toDave.getByTestId('call-hangup').click();
    await dave.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    await toBob.getByTestId('call-hangup').click();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  });

  it('a waiting call ignored leaves the alert and stays in the list, where we decline it', async () => {
    const bob = await peer('bob');
    const dave = await peer('dave');
    const page = await registeredPhone();
    const toBob = await dialFromUi(page, 'bob');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });

    await dave.ctrl.command('dial', 'sip:eve@lab.test');
    const banner = page.getByTestId('incoming-call');
    await banner.waitFor({ timeout: 8000 });
    await page.getByTestId('incoming-ignore').click();
    expect(await banner.count()).toBe(0);
    const fromDave = callWith(page, 'dave');
    expect(await fromDave.getAttribute('data-state')).toBe('incoming');
    expect(await fromDave.getByTestId('call-state').textContent()).toContain('ignored');
    // Ignoring is local: dave still hears it ring, bob is not held.
    expect(await toBob.getAttribute('data-held')).toBe('false');
    await fromDave.getByTestId('call-reject').click();
    const closed = await dave.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    expect(JSON.stringify(closed)).toContain('603');
    await expect.poll(() => fromDave.count(), { timeout: 5000 }).toBe(0);
    await toBob.getByTestId('call-hangup').click();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  });

  it('conference: we call bob, add carol from the dialpad; both are members; record, split carol out, merge her back', async () => {
    const bob = await peer('bob');
    const carol = await peer('carol');
    const page = await registeredPhone();
    const toBob = await dialFromUi(page, 'bob');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });

    await page.getByTestId('dial-input').fill('carol');
    await page.getByTestId('dial-conference').click();
    const toCarol = callWith(page, 'carol');
    await expect.poll(attr(toCarol, 'data-conference'), { timeout: 10_000 }).toBe('true');
    await expect.poll(attr(toBob, 'data-conference'), { timeout: 5000 }).toBe('true');
    expect(await toBob.getAttribute('data-held')).toBe('false');
    await expect.poll(text(page.getByTestId('conference-members'))).toMatch(/^Conference with .*bob.*, .*carol/);

    await toBob.getByTestId('call-record').click();
    await expect.poll(attr(toBob, 'data-recording'), { timeout: 5000 }).toBe('true');
    expect(await toBob.getByTestId('call-badge-recording').textContent()).toBe('Recording');
    expect(await toBob.getByTestId('call-record').getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: join(artifactsDir, 'call-conference.png') });
    await toBob.getByTestId('call-record').click();
    await expect.poll(attr(toBob, 'data-recording'), { timeout: 5000 }).toBe('false');

    await toCarol.getByTestId('call-split').click();
    await expect.poll(attr(toCarol, 'data-held'), { timeout: 5000 }).toBe('true');
    await expect.poll(attr(toCarol, 'data-conference')).toBe('false');
    // A conference of one is a call: bob is no member either, and the two can be merged again.
    await expect.poll(attr(toBob, 'data-conference')).toBe('false');
    await expect.poll(() => page.getByTestId('conference-members').count()).toBe(0);
    await page.getByTestId('calls-merge').click();
    await expect.poll(attr(toCarol, 'data-conference'), { timeout: 5000 }).toBe('true');
    await expect.poll(attr(toCarol, 'data-held'), { timeout: 5000 }).toBe('false');
    await expect.poll(attr(toBob, 'data-conference')).toBe('true');

    await toCarol.getByTestId('call-hangup').click();
    await carol.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    await toBob.getByTestId('call-hangup').click();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  });
});
