/**
 * An account's codec order on the wire (issue "The user interface, complete", Settings): our
 * phone, eve at the lab's Kamailio, with baresip bob offering and answering with all his codecs.
 * Our offer lists only the account's codecs, in its order; as answerer we pick the first of the
 * account's codecs that bob offered, whatever his order.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudioCodecName, CallView, SipLogEntry } from '../../shared/model.js';
import { createCore, type Core } from '../../main/core/index.js';
import { accountFields } from '../helpers/account-fields.js';
import { startBaresip, type Baresip } from './lab/baresip.js';
import { startKamailio, type Kamailio } from './lab/kamailio.js';
import { labCoreOptions } from './lab/core.js';

let kamailio: Kamailio;
let bob: Baresip;
let core: Core;
let accountId: string;
const calls: CallView[] = [];
const sent: SipLogEntry[] = [];

beforeAll(async () => {
  kamailio = await startKamailio();
  // Bob offers and accepts PCMU, PCMA and G.722, μ-law first.
  bob = await startBaresip({ user: 'bob', kamailio, answerMode: 'auto', accountParams: ';audio_codecs=pcmu,pcma,G722/16000/1' });
  core = await createCore(labCoreOptions(kamailio, mkdtempSync(join(tmpdir(), 'codec-order-'))));
  core.subscribe((name, payload) => {
    if (name === 'call.state' || name === 'call.incoming') calls.push(payload as CallView);
    if (name === 'log.sip' && (payload as SipLogEntry).direction === 'out') sent.push(payload as SipLogEntry);
  });
  accountId = (await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', srtp: 'off' }))).id;
  await registered();
});
afterAll(async () => {
  await core?.close();
  await bob?.stop();
  await kamailio?.stop();
});

async function useCodecs(codecs: AudioCodecName[]): Promise<void> {
  await core.handlers['accounts.update']({ id: accountId, changes: { codecs } });
  await registered();
}

async function registered(): Promise<void> {
  for (let i = 0; i < 160 && (await core.handlers['accounts.list']({}))[0]!.status.state !== 'registered'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

const established = (id: string) => calls.filter((c) => c.id === id && c.state === 'established').at(-1);

async function hangUp(id: string): Promise<void> {
  await core.handlers['calls.hangup']({ callId: id });
  await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
}

/** The payload formats of the m=audio line in the last INVITE or 200 we sent with SDP. */
function lastAudioFormats(firstLine: RegExp): string | undefined {
  const message = sent.filter((m) => firstLine.test(m.firstLine) && m.text.includes('m=audio')).at(-1);
  return /^m=audio \d+ RTP\/AVP ([\d ]+)\r?$/m.exec(message?.text ?? '')?.[1];
}

describe('the account’s codec order with baresip through Kamailio', () => {
  it('PCMU only: our offer has PCMU alone, and the call uses it', async () => {
    await useCodecs(['PCMU']);
    const call = await core.handlers['calls.dial']({ target: 'bob' });
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await expect.poll(() => established(call.id)?.codec, { timeout: 5000 }).toBe('PCMU');
    expect(lastAudioFormats(/^INVITE /)).toBe('0 101 13');
    await hangUp(call.id);
  });

  it('PCMA first: our offer lists PCMA before PCMU, and the call uses PCMA', async () => {
    await useCodecs(['PCMA', 'PCMU']);
    const call = await core.handlers['calls.dial']({ target: 'bob' });
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await expect.poll(() => established(call.id)?.codec, { timeout: 5000 }).toBe('PCMA');
    expect(lastAudioFormats(/^INVITE /)).toBe('8 0 101 13');
    await hangUp(call.id);
  });

  it('bob offers PCMU first; we answer by our order: PCMA', async () => {
    await useCodecs(['PCMA', 'PCMU']);
    const before = calls.length;
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    await expect.poll(() => calls.slice(before).some((c) => c.state === 'incoming'), { timeout: 8000 }).toBe(true);
    const incoming = calls.slice(before).find((c) => c.state === 'incoming')!;
    await core.handlers['calls.answer']({ callId: incoming.id });
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await expect.poll(() => established(incoming.id)?.codec, { timeout: 5000 }).toBe('PCMA');
    // The 200 OK's answer: PCMA, then PCMU; G.722, which bob offered, switched off here.
    expect(lastAudioFormats(/^SIP\/2\.0 200 /)).toMatch(/^8 0( |$)/);
    await hangUp(incoming.id);
  });
});
