/**
 * Presence and busy lamps in the UI, end to end (issue #8 point 6): eve (our core, in Debian's
 * Chromium through the web host) sets her presence in the header and baresip bob, watching her
 * through the lab's Kamailio presence server, sees it; a contact with presence on shows bob's
 * own publications (online, offline); a contact with a busy lamp shows bob's line ring while
 * alice calls him, with a "Pick up" button, then in call and idle. Turning watching off or
 * deleting the contact stops the subscription. The header's voicemail indicator counts what a
 * voicemail server (sipp) publishes for eve's mailbox and calls the voicemail. baresip 1.0 tells only open, closed and busy
 * apart (see test/interop/presence.test.ts).
 */
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallView } from '../../shared/model.js';
import { NullDriver } from '../../main/core/audio/index.js';
import type { Core } from '../../main/core/index.js';
import { silentLogger } from '../../main/core/log.js';
import { readAppMeta } from '../../main/hosts/app-meta.js';
import { startWebHost } from '../../main/hosts/web/server.js';
import type { AccountFieldsInput } from '../../shared/model.js';
import { accountFields } from '../helpers/account-fields.js';
import { artifactsDir, launchBrowser } from '../helpers/browser.js';
import { testCore } from '../helpers/core.js';
import { startBaresip, type Baresip, type BaresipOptions } from '../interop/lab/baresip.js';
import { labDns } from '../interop/lab/dns.js';
import { startKamailio, type Kamailio } from '../interop/lab/kamailio.js';
import { runSipp } from '../interop/sipp.js';

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
  await kamailio?.stop();
});

async function peer(user: 'alice' | 'bob', options: Partial<BaresipOptions> = {}): Promise<Baresip> {
  const b = await startBaresip({ user, kamailio, accountParams: ';audio_codecs=pcmu', ...options });
  peers.push(b);
  return b;
}

/** Our phone registered as eve, and the SIP messages it received from the start. */
async function registeredPhone(fields: Partial<AccountFieldsInput> = {}): Promise<{ page: Page; core: Core; received: string[] }> {
  const { core, bridge } = await testCore({ host: 'web', dns: labDns(kamailio), audio: { driver: new NullDriver(), rtpTimeoutSeconds: 0 } });
  const received: string[] = [];
  core.subscribe((name, payload) => {
    if (name === 'log.sip' && (payload as { direction: string }).direction === 'in') received.push((payload as { text: string }).text);
  });
  const web = await startWebHost({ bridge, subscribe: (sink) => core.subscribe(sink), staticDir: join(readAppMeta().root, 'dist', 'renderer'), logger: silentLogger });
  const page = await browser.newPage();
  cleanups.push(async () => {
    await page.close();
    await web.close();
  });
  await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', srtp: 'off', ...fields }));
  await expect.poll(async () => (await core.handlers['accounts.list']({}))[0]?.status.state, { timeout: 8000 }).toBe('registered');
  await page.goto(web.url);
  await page.getByTestId('app-shell').waitFor();
  return { page, core, received };
}

/** Adds a contact with one SIP address from the Contacts screen. */
async function addContact(page: Page, name: string, address: string, watch: { presence?: boolean; blf?: boolean }): Promise<Locator> {
  await page.getByTestId('nav-contacts').click();
  await page.getByTestId('contact-add').click();
  const form = page.getByTestId('contact-form');
  await form.getByTestId('contact-form-name').fill(name);
  await form.getByTestId('contact-form-address-value').first().fill(address);
  if (watch.presence === true) await form.getByTestId('contact-form-presence').check();
  if (watch.blf === true) await form.getByTestId('contact-form-blf').check();
  await form.getByTestId('contact-form-save').click();
  const item = page.getByTestId('contact-item').filter({ hasText: name });
  await item.waitFor({ timeout: 5000 });
  return item;
}

const attr = (locator: Locator, name: string) => () => locator.getAttribute(name, { timeout: 500 }).catch(() => null);

describe('presence in the UI', () => {
  it('our status from the header reaches bob; bob watched as a contact shows online, offline, online; unwatched when turned off', async () => {
    // bob watches eve at the presence server and publishes his own state every 5 s.
    const bob = await peer('bob', { contacts: ['"Eve" <sip:eve@lab.test>;presence=p2p'], publishInterval: 5, answerMode: 'auto' });
    const { page, core } = await registeredPhone();
    const bobSeesEve = async () => (await bob.ctrl.command('contacts')).data.split('\n').find((line) => line.includes('eve@lab.test')) ?? '';

    const own = page.getByTestId('own-presence');
    await expect.poll(attr(own, 'data-status'), { timeout: 5000 }).toBe('available');
    await expect.poll(bobSeesEve, { timeout: 15_000 }).toMatch(/online/i);
    await page.getByTestId('own-presence-status').selectOption('busy');
    await expect.poll(attr(own, 'data-effective'), { timeout: 5000 }).toBe('busy');
    await expect.poll(bobSeesEve, { timeout: 15_000 }).toMatch(/busy/i);

    // A note with the status, kept by the core.
    await page.getByTestId('own-presence-note-toggle').click();
    await page.getByTestId('own-presence-note').fill('writing tests');
    await page.getByTestId('own-presence-note').press('Enter');
    await expect.poll(async () => (await core.handlers['presence.get']({})).own, { timeout: 5000 }).toEqual({ status: 'busy', note: 'writing tests', effective: 'busy' });
    await expect.poll(() => page.getByTestId('own-presence-note-toggle').textContent(), { timeout: 5000 }).toBe('writing tests');
    await page.getByTestId('own-presence-status').selectOption('available');
    await expect.poll(bobSeesEve, { timeout: 15_000 }).toMatch(/online/i);

    // bob as a contact, presence watched.
    const contact = await addContact(page, 'Bob', 'bob@lab.test', { presence: true });
    expect((await core.handlers['presence.get']({})).watched).toEqual([expect.objectContaining({ uri: 'sip:bob@lab.test', displayName: 'Bob', presence: true, blf: false })]);
    const dot = contact.getByTestId('contact-presence');
    await expect.poll(attr(dot, 'data-status'), { timeout: 15_000 }).toBe('available');
    expect(await dot.textContent()).toContain('Available');
    await page.screenshot({ path: join(artifactsDir, 'presence-contacts.png') });
    await bob.ctrl.command('presence_offline');
    await expect.poll(attr(dot, 'data-status'), { timeout: 15_000 }).toBe('offline');
    await bob.ctrl.command('presence_online');
    await expect.poll(attr(dot, 'data-status'), { timeout: 15_000 }).toBe('available');

    // During a call with bob the header says what others see.
    await contact.getByTestId('contact-call').click();
    const call = page.getByTestId('call-item');
    await expect.poll(attr(call, 'data-state'), { timeout: 8000 }).toBe('established');
    await expect.poll(() => page.getByTestId('own-presence-effective').textContent({ timeout: 500 }).catch(() => null), { timeout: 5000 }).toBe('Others see: On the phone');
    await call.getByTestId('call-hangup').click();
    await expect.poll(() => page.getByTestId('own-presence-effective').count(), { timeout: 5000 }).toBe(0);

    // Watching turned off: the subscription ends and the dot goes.
    await page.getByTestId('nav-contacts').click();
    await contact.getByTestId('contact-edit').click();
    await page.getByTestId('contact-form-presence').uncheck();
    await page.getByTestId('contact-form-save').click();
    await expect.poll(() => contact.getByTestId('contact-presence').count(), { timeout: 5000 }).toBe(0);
    await expect.poll(async () => (await core.handlers['presence.get']({})).watched, { timeout: 5000 }).toEqual([]);
  });

  it("bob's busy lamp: ringing with Pick up while alice calls him, in call once he answers, idle after; deleting the contact unwatches", async () => {
    const alice = await peer('alice', { answerMode: 'manual', publishInterval: 0 });
    const bob = await peer('bob', { answerMode: 'manual', publishInterval: 0 });
    const { page, core } = await registeredPhone({ publishPresence: false, messageWaiting: false });
    const calls: CallView[] = [];
    core.subscribe((name, payload) => {
      if (name === 'call.state') calls.push(payload as CallView);
    });

    const contact = await addContact(page, 'Bob (ext)', 'sip:bob@lab.test', { blf: true });
    expect(await contact.getByTestId('contact-presence').count()).toBe(0);
    const lamp = contact.getByTestId('contact-line');
    await expect.poll(attr(lamp, 'data-line'), { timeout: 8000 }).toBe('idle');

    await alice.ctrl.command('dial', 'sip:bob@lab.test');
    await bob.ctrl.waitForEvent('CALL_INCOMING', { timeoutMs: 5000 });
    await expect.poll(attr(lamp, 'data-line'), { timeout: 8000 }).toBe('ringing');
    expect(await lamp.textContent()).toContain('Ringing');
    const pickup = contact.getByTestId('contact-pickup');
    await pickup.waitFor({ timeout: 5000 });
    await page.screenshot({ path: join(artifactsDir, 'presence-blf-ringing.png') });
    // Pick up: an INVITE with Replaces to the caller (baresip 1.0 cannot be replaced: it only shows we dialled).
    await pickup.click();
    await expect.poll(() => calls.some((c) => c.direction === 'outgoing' && /alice/.test(c.remote.uri)), { timeout: 5000 }).toBe(true);
    // The page goes to the Calls screen, where the call is.
    await expect.poll(attr(page.getByTestId('nav-calls'), 'aria-current'), { timeout: 5000 }).toBe('page');
    for (const call of await core.handlers['calls.list']({})) await core.handlers['calls.hangup']({ callId: call.id }).catch(() => undefined);

    await bob.ctrl.command('accept');
    await page.getByTestId('nav-contacts').click();
    await expect.poll(attr(lamp, 'data-line'), { timeout: 8000 }).toBe('in-call');
    expect(await contact.getByTestId('contact-pickup').count()).toBe(0);
    await alice.ctrl.command('hangup', undefined, { allowFailure: true });
    await expect.poll(attr(lamp, 'data-line'), { timeout: 8000 }).toBe('idle');

    await contact.getByTestId('contact-delete').click();
    await contact.getByTestId('contact-delete-confirm').click();
    await expect.poll(async () => (await core.handlers['presence.get']({})).watched, { timeout: 5000 }).toEqual([]);
  });

  it('voicemail: the header counts the new messages a voicemail server publishes, and a click calls the voicemail', async () => {
    // bob plays the voicemail system: he answers by himself.
    const bob = await peer('bob', { answerMode: 'auto', publishInterval: 0 });
    const { page, core, received } = await registeredPhone({ publishPresence: false, voicemail: 'bob' });
    const indicator = page.getByTestId('voicemail-indicator');
    await expect.poll(attr(indicator, 'data-new'), { timeout: 5000 }).toBe('0');
    // Our message-summary subscription is up at Kamailio (its first NOTIFY) before the server publishes.
    await expect.poll(() => received.some((text) => /^NOTIFY /.test(text) && /^Event: message-summary/im.test(text)), { timeout: 8000 }).toBe(true);
    const sipp = await runSipp({ scenario: 'uac-publish-mwi.xml', transport: 'udp', target: `127.0.0.1:${kamailio.udpPort}`, service: 'eve' });
    const { code, output } = await sipp.done;
    expect(code, output).toBe(0);
    await expect.poll(attr(indicator, 'data-new'), { timeout: 8000 }).toBe('3');
    expect(await indicator.getAttribute('aria-label')).toBe('3 new voicemails: call voicemail');
    await page.screenshot({ path: join(artifactsDir, 'presence-voicemail.png') });

    await indicator.click();
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await expect.poll(attr(page.getByTestId('nav-calls'), 'aria-current'), { timeout: 5000 }).toBe('page');
    const call = page.getByTestId('call-item');
    await expect.poll(attr(call, 'data-state'), { timeout: 5000 }).toBe('established');
    expect((await core.handlers['calls.list']({}))[0]?.remote.uri).toBe('sip:bob@lab.test');
    await call.getByTestId('call-hangup').click();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  });
});
