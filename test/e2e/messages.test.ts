/**
 * Messages in the UI, end to end (issue #9 point 8): eve (our core, in Debian's Chromium through
 * the web host) writes to baresip bob and sees it delivered; bob writes back and the message
 * waits unread until eve opens the conversation; a message to nobody fails with its status.
 * Typing indication (RFC 3994) both ways with a second core as carol (baresip 1.0 has none).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, EventPayload } from '../../shared/contract.js';
import { NullDriver } from '../../main/core/audio/index.js';
import type { Core } from '../../main/core/index.js';
import { silentLogger } from '../../main/core/log.js';
import { readAppMeta } from '../../main/hosts/app-meta.js';
import type { ContractBridge } from '../../main/hosts/bridge.js';
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
  // baresip 1.0 messages its "current contact": the only one in its list, eve.
  bob = await startBaresip({ user: 'bob', kamailio, contacts: ['"Eve" <sip:eve@lab.test>'] });
});
afterAll(async () => {
  await bob?.stop();
  await kamailio?.stop();
});

async function registeredCore(user: 'eve' | 'carol', host: 'web' | 'cli'): Promise<{ core: Core; bridge: ContractBridge }> {
  const { core, bridge } = await testCore({ host, dns: labDns(kamailio), audio: { driver: new NullDriver(), rtpTimeoutSeconds: 0 } });
  await core.handlers['accounts.add'](accountFields({ user, domain: 'lab.test', password: `${user}pass`, srtp: 'off', publishPresence: false, messageWaiting: false }));
  await expect.poll(async () => (await core.handlers['accounts.list']({}))[0]?.status.state, { timeout: 8000 }).toBe('registered');
  return { core, bridge };
}

async function evePhone(): Promise<{ page: Page; core: Core }> {
  const { core, bridge } = await registeredCore('eve', 'web');
  const web = await startWebHost({ bridge, subscribe: (sink) => core.subscribe(sink), staticDir: join(readAppMeta().root, 'dist', 'renderer'), logger: silentLogger });
  const page = await browser.newPage();
  afterAll(async () => {
    await page.close();
    await web.close();
  });
  await page.goto(web.url);
  await page.getByTestId('app-shell').waitFor();
  return { page, core };
}

/** Opens (or starts) the conversation with `peer` from the Messages screen. */
async function openConversation(page: Page, peer: string): Promise<void> {
  await page.getByTestId('nav-messages').click();
  await page.getByTestId('message-new-peer').fill(peer);
  await page.getByTestId('message-new-start').click();
  await page.getByTestId('message-input').waitFor();
}

const bubbles = (page: Page) => page.getByTestId('message-bubble');
const lastState = (page: Page) => () => bubbles(page).last().getAttribute('data-state', { timeout: 500 }).catch(() => null);
const text = (page: Page, testId: string) => () => page.getByTestId(testId).textContent({ timeout: 500 }).catch(() => null);

describe('messages with baresip in the UI', () => {
  it('eve writes to bob (delivered), bob answers (unread until opened), a message to nobody fails', async () => {
    const { page } = await evePhone();
    await openConversation(page, 'bob');
    expect(await page.getByTestId('thread-title').textContent()).toBe('bob@lab.test');

    // Enter sends; the bubble goes from sending to delivered (bob's phone answered 200).
    await page.getByTestId('message-input').fill('hello bob, from eve');
    await page.getByTestId('message-input').press('Enter');
    await expect.poll(() => bubbles(page).count(), { timeout: 5000 }).toBe(1);
    // The bubble can come (the core's `message` event) before the send request answers, which clears the field.
    await expect.poll(() => page.getByTestId('message-input').inputValue(), { timeout: 5000 }).toBe('');
    await expect.poll(lastState(page), { timeout: 8000 }).toBe('delivered');
    expect(await bubbles(page).last().getAttribute('data-direction')).toBe('outgoing');
    expect(await bubbles(page).last().getByTestId('message-state').textContent()).toBe('Delivered');

    // Shift+Enter is a new line, not a send.
    const input = page.getByTestId('message-input');
    await input.fill('');
    await input.pressSequentially('line one');
    await input.press('Shift+Enter');
    await input.pressSequentially('line two <i>');
    expect(await bubbles(page).count()).toBe(1);
    await page.getByTestId('message-send').click();
    await expect.poll(() => bubbles(page).count(), { timeout: 5000 }).toBe(2);
    expect(await bubbles(page).last().getByTestId('message-text').textContent()).toBe('line one\nline two <i>');
    await expect.poll(lastState(page), { timeout: 8000 }).toBe('delivered');

    // Another conversation is on screen (carol is not registered: 404 from Kamailio) while bob writes.
    await openConversation(page, 'carol');
    await page.getByTestId('message-input').fill('are you there?');
    await page.getByTestId('message-input').press('Enter');
    await expect.poll(lastState(page), { timeout: 8000 }).toBe('failed');
    expect(await bubbles(page).last().getByTestId('message-state').textContent()).toMatch(/^Not delivered: 4\d\d /);

    await page.getByTestId('nav-calls').click();
    await bob.ctrl.command('message', 'hi eve, bob <b>here</b>');
    await expect.poll(text(page, 'nav-messages-badge'), { timeout: 8000 }).toBe('1');
    await page.getByTestId('nav-messages').click();
    const bobConversation = page.locator('[data-testid="conversation-item"][data-peer="sip:bob@lab.test"]');
    // Newest first: bob's conversation is on top, marked unread; carol's stays open.
    expect(await page.getByTestId('conversation-item').first().getAttribute('data-peer')).toBe('sip:bob@lab.test');
    expect(await bobConversation.getAttribute('data-unread')).toBe('true');
    expect(await bobConversation.getByTestId('conversation-unread').textContent()).toContain('1');
    expect(await page.getByTestId('thread-title').textContent()).toBe('carol@lab.test');
    await page.screenshot({ path: join(artifactsDir, 'messages-unread.png') });

    await bobConversation.click();
    await expect.poll(() => bobConversation.getAttribute('data-unread'), { timeout: 5000 }).toBe('false');
    await expect.poll(() => page.getByTestId('nav-messages-badge').count(), { timeout: 5000 }).toBe(0);
    const incoming = bubbles(page).last();
    expect(await incoming.getAttribute('data-direction')).toBe('incoming');
    // Network text stays text.
    expect(await incoming.getByTestId('message-text').textContent()).toBe('hi eve, bob <b>here</b>');
    expect(await incoming.locator('b').count()).toBe(0);
    expect(await bubbles(page).count()).toBe(3);
    await page.screenshot({ path: join(artifactsDir, 'messages.png') });

    // While the conversation is on screen, what bob writes is read at once.
    await bob.ctrl.command('message', 'still here');
    await expect.poll(() => bubbles(page).count(), { timeout: 8000 }).toBe(4);
    expect(await page.getByTestId('nav-messages-badge').count()).toBe(0);
  });
});

describe('typing indication in the UI', () => {
  it('eve typing shows at carol (active, then idle 5 s after the last key); carol typing shows at eve', async () => {
    const { page } = await evePhone();
    const { core: carol } = await registeredCore('carol', 'cli');
    const typing: EventPayload<'message.typing'>[] = [];
    carol.subscribe((name: EventName, payload: unknown) => {
      if (name === 'message.typing') typing.push(payload as EventPayload<'message.typing'>);
    });

    await openConversation(page, 'carol');
    // The first keystroke says "active"; the next ones add nothing.
    await page.getByTestId('message-input').press('h');
    await expect.poll(() => typing.at(-1), { timeout: 5000 }).toEqual(expect.objectContaining({ peer: 'sip:eve@lab.test', active: true }));
    await page.getByTestId('message-input').pressSequentially('ello');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(typing).toHaveLength(1);
    // No keystroke for ~5 s: idle.
    await expect.poll(() => typing.at(-1)?.active, { timeout: 9000, interval: 250 }).toBe(false);

    await carol.handlers['messages.typing']({ to: 'eve', active: true });
    await expect.poll(text(page, 'message-typing'), { timeout: 5000 }).toBe('carol@lab.test is typing…');
    await page.screenshot({ path: join(artifactsDir, 'messages-typing.png') });
    // Her message ends it (RFC 3994 §3.3).
    await carol.handlers['messages.send']({ to: 'eve', text: 'typed it' });
    await expect.poll(() => bubbles(page).last().getByTestId('message-text').textContent({ timeout: 500 }).catch(() => null), { timeout: 5000 }).toBe('typed it');
    await expect.poll(text(page, 'message-typing'), { timeout: 5000 }).toBe('');
  });
});
