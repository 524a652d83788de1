/**
 * Call features against real phones (issue "Call features" point 9): our core registered as eve
 * at the lab's Kamailio, baresip instances as bob, carol and dave, each sending its own tone and
 * recording what it hears. Hold and resume each way, blind and attended transfer, being
 * transferred by baresip, call waiting with two callers, forwarding on busy, Do Not Disturb.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallView } from '../../shared/model.js';
import { createCore, type Core } from '../../main/core/index.js';
import { encodeWav, WavFileDriver } from '../../main/core/audio/index.js';
import { accountFields } from '../helpers/account-fields.js';
import type { AccountFieldsInput } from '../../shared/model.js';
import { analyseSamples, parseWav } from './lab/audio.js';
import { startBaresip, type Baresip } from './lab/baresip.js';
import { startKamailio, type Kamailio } from './lab/kamailio.js';
import { labCoreOptions } from './lab/core.js';

const OUR_TONE = 440;
const BOB_TONE = 1000;
const CAROL_TONE = 1500;
const DAVE_TONE = 2000;

let kamailio: Kamailio;
const dir = mkdtempSync(join(tmpdir(), 'call-features-'));
const peers: Baresip[] = [];
let phone: Phone | undefined;

beforeAll(async () => {
  kamailio = await startKamailio();
});
afterEach(async () => {
  await phone?.core.close();
  phone = undefined;
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});
afterAll(async () => {
  await kamailio.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Phone {
  readonly core: Core;
  readonly events: { name: string; payload: unknown }[];
  readonly accountId: string;
}

function phoneDataDir(name: string): string {
  const data = join(dir, `${name}-data`);
  mkdirSync(data, { recursive: true });
  return data;
}

async function ourPhone(name: string, fields: Partial<AccountFieldsInput> = {}): Promise<Phone> {
  const rate = 8000;
  const input = join(dir, `${name}-in.wav`);
  const samples = Int16Array.from({ length: rate * 60 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * OUR_TONE * i) / rate)));
  writeFileSync(input, encodeWav({ sampleRate: rate, channels: 1, samples }));
  const core = await createCore(labCoreOptions(kamailio, phoneDataDir(name), { audio: { driver: new WavFileDriver({ input, output: join(dir, `${name}-heard.wav`) }), deviceSampleRate: rate, rtpTimeoutSeconds: 0, statsIntervalSeconds: 1 } }));
  const events: Phone['events'] = [];
  core.subscribe((eventName, payload) => events.push({ name: eventName, payload }));
  const account = await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', srtp: 'off', ...fields }));
  await expect.poll(async () => (await core.handlers['accounts.list']({}))[0]!.status.state, { timeout: 8000 }).toBe('registered');
  phone = { core, events, accountId: account.id };
  return phone;
}

async function peer(user: 'bob' | 'carol' | 'dave', toneHz: number, answerMode: 'auto' | 'manual' = 'auto'): Promise<Baresip> {
  const b = await startBaresip({ user, kamailio, toneHz, answerMode, accountParams: ';audio_codecs=pcmu' });
  peers.push(b);
  return b;
}

const viewsOf = (p: Phone, id: string) => p.events.filter((e) => (e.name === 'call.state' || e.name === 'call.incoming') && (e.payload as CallView).id === id).map((e) => e.payload as CallView);
const lastView = (p: Phone, id: string) => viewsOf(p, id).at(-1)!;
const until = (p: Phone, id: string, check: (v: CallView) => boolean, timeout = 10_000) =>
  expect.poll(() => viewsOf(p, id).some(check), { timeout }).toBe(true);
async function nextIncoming(p: Phone, after: number): Promise<CallView> {
  await expect.poll(() => p.events.slice(after).some((e) => e.name === 'call.incoming'), { timeout: 10_000 }).toBe(true);
  return p.events.slice(after).find((e) => e.name === 'call.incoming')!.payload as CallView;
}

/** Share of energy at hz in [from, to) seconds of a recording (0..1). */
function presence(wav: string, hz: number, from: number, to: number): number {
  const whole = parseWav(readFileSync(wav), wav);
  const samples = whole.samples.subarray(Math.round(from * whole.sampleRate), Math.round(to * whole.sampleRate));
  return analyseSamples({ ...whole, samples }, hz).presence;
}

describe('hold and resume with baresip', () => {
  it('we hold bob: no audio either way until we resume; bob holds us: we see it and stop sending', async () => {
    const bob = await peer('bob', BOB_TONE);
    const p = await ourPhone('hold');
    const call = await p.core.handlers['calls.dial']({ target: 'bob' });
    await until(p, call.id, (v) => v.state === 'established');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    const t0 = Date.now();
    await sleep(2000);
    const heldAt = (Date.now() - t0) / 1000;
    expect(await p.core.handlers['calls.hold']({ callId: call.id, held: true })).toMatchObject({ held: true });
    await sleep(3000);
    const resumedAt = (Date.now() - t0) / 1000;
    expect(await p.core.handlers['calls.hold']({ callId: call.id, held: false })).toMatchObject({ held: false });
    await sleep(2500);

    // bob holds us: we answer recvonly and send nothing until he resumes.
    await bob.ctrl.command('hold');
    await until(p, call.id, (v) => v.remoteHeld === true);
    const sentAt = () => (p.events.filter((e) => e.name === 'call.stats').at(-1)!.payload as { packetsSent: number }).packetsSent;
    await sleep(1200);
    const sentOnHold = sentAt();
    await sleep(2100);
    expect(sentAt() - sentOnHold, 'RTP packets sent to a peer that holds us').toBeLessThanOrEqual(2);
    await bob.ctrl.command('resume');
    await until(p, call.id, (v) => v.remoteHeld === false);
    await sleep(2100);
    expect(sentAt() - sentOnHold).toBeGreaterThan(50);

    await p.core.handlers['calls.hangup']({ callId: call.id });
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    await sleep(300);
    // What we heard: bob's tone, nothing while we held him, bob's tone again after resuming.
    const heard = join(dir, 'hold-heard.wav');
    expect(presence(heard, BOB_TONE, 0.5, heldAt - 0.3), 'before hold').toBeGreaterThan(0.5);
    expect(presence(heard, BOB_TONE, heldAt + 0.8, resumedAt - 0.2), 'on hold').toBeLessThan(0.1);
    expect(presence(heard, BOB_TONE, resumedAt + 0.8, resumedAt + 2.2), 'resumed').toBeGreaterThan(0.5);
    // What bob heard until baresip stopped recording at the hold (sndfile records no further).
    expect(presence(bob.recordings().at(-1)!, OUR_TONE, 0.5, heldAt - 0.5)).toBeGreaterThan(0.5);
  });
});

describe('transfers with baresip', () => {
  it('blind: we transfer bob to carol; carol hears bob, our call ends', async () => {
    const bob = await peer('bob', BOB_TONE);
    const carol = await peer('carol', CAROL_TONE);
    const p = await ourPhone('blind');
    const call = await p.core.handlers['calls.dial']({ target: 'bob' });
    await until(p, call.id, (v) => v.state === 'established');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    const view = await p.core.handlers['calls.transfer']({ callId: call.id, target: 'carol' });
    expect(view.transfer).toMatchObject({ kind: 'blind', target: 'sip:carol@lab.test' });
    await until(p, call.id, (v) => v.transfer?.state === 'succeeded');
    await until(p, call.id, (v) => v.state === 'terminated');
    await carol.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await sleep(2500);
    await carol.ctrl.command('hangup');
    await carol.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    await sleep(300);
    expect(presence(carol.recordings().at(-1)!, BOB_TONE, 0.5, 2)).toBeGreaterThan(0.5);
  });

  it('attended: we consult carol, then transfer bob to her; our two calls end and bob talks to carol', async () => {
    const bob = await peer('bob', BOB_TONE);
    const carol = await peer('carol', CAROL_TONE);
    const p = await ourPhone('attended');
    const first = await p.core.handlers['calls.dial']({ target: 'bob' });
    await until(p, first.id, (v) => v.state === 'established');
    const consult = await p.core.handlers['calls.dial']({ target: 'carol' });
    await until(p, consult.id, (v) => v.state === 'established');
    // Placing the consultation call held the first one.
    await until(p, first.id, (v) => v.held === true);
    await p.core.handlers['calls.transfer']({ callId: first.id, consultCallId: consult.id });
    await until(p, first.id, (v) => v.transfer?.state === 'succeeded');
    await until(p, first.id, (v) => v.state === 'terminated');
    await until(p, consult.id, (v) => v.state === 'terminated');
    // baresip 1.0 does not understand Replaces: carol takes bob's call as a new one, ours ended.
    await carol.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000, match: (e) => JSON.stringify(e).includes('bob@') });
    await sleep(2500);
    await bob.ctrl.command('hangup');
    await sleep(500);
    expect(presence(carol.recordings().at(-1)!, BOB_TONE, 0.5, 2)).toBeGreaterThan(0.5);
  });

  it('we are transferred by bob to carol: we call her and report it; carol hears us', async () => {
    const bob = await peer('bob', BOB_TONE);
    const carol = await peer('carol', CAROL_TONE);
    const p = await ourPhone('transferee');
    const call = await p.core.handlers['calls.dial']({ target: 'bob' });
    await until(p, call.id, (v) => v.state === 'established');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await bob.ctrl.command('transfer', 'sip:carol@lab.test');
    await expect.poll(() => p.events.some((e) => e.name === 'call.state' && (e.payload as CallView).transferredFrom === call.id), { timeout: 10_000 }).toBe(true);
    const next = p.events.map((e) => e.payload as CallView).find((v) => v.transferredFrom === call.id)!;
    await until(p, next.id, (v) => v.state === 'established');
    await until(p, call.id, (v) => v.state === 'terminated');
    await carol.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await sleep(2500);
    await p.core.handlers['calls.hangup']({ callId: next.id });
    await carol.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    await sleep(300);
    expect(presence(carol.recordings().at(-1)!, OUR_TONE, 0.5, 2)).toBeGreaterThan(0.5);
  });

  it('a transfer the account refuses is declined (603) and no call is made', async () => {
    const bob = await peer('bob', BOB_TONE);
    await peer('carol', CAROL_TONE);
    const p = await ourPhone('refuse', { transferPolicy: 'refuse' });
    const call = await p.core.handlers['calls.dial']({ target: 'bob' });
    await until(p, call.id, (v) => v.state === 'established');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await bob.ctrl.command('transfer', 'sip:carol@lab.test');
    await expect.poll(() => bob.logTail(20), { timeout: 5000 }).toContain('transfer failed: 603 Declined');
    expect(p.events.some((e) => e.name === 'log.sip' && /^SIP\/2\.0 603 /.test((e.payload as { text: string }).text))).toBe(true);
    // We made no call to carol, and did not end ours (baresip 1.0 hangs up after a failed transfer).
    expect(p.events.some((e) => e.name === 'call.state' && (e.payload as CallView).transferredFrom !== undefined)).toBe(false);
    expect(viewsOf(p, call.id).some((v) => v.transferRefused?.code === 603)).toBe(true);
    expect(viewsOf(p, call.id).every((v) => v.end === undefined || v.end.by === 'remote')).toBe(true);
  });
});

describe('several lines with baresip', () => {
  it('call waiting: dave calls while we talk to bob; we answer and bob is held; we swap back', async () => {
    const bob = await peer('bob', BOB_TONE);
    const dave = await peer('dave', DAVE_TONE);
    const p = await ourPhone('waiting');
    let before = p.events.length;
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const first = await nextIncoming(p, before);
    await p.core.handlers['calls.answer']({ callId: first.id });
    await until(p, first.id, (v) => v.state === 'established');
    before = p.events.length;
    await dave.ctrl.command('dial', 'sip:eve@lab.test');
    const second = await nextIncoming(p, before);
    expect(second.waiting).toBe(true);
    await p.core.handlers['calls.answer']({ callId: second.id });
    await until(p, second.id, (v) => v.state === 'established');
    expect(lastView(p, first.id).held).toBe(true);
    // Swap: resuming bob holds dave.
    await p.core.handlers['calls.hold']({ callId: first.id, held: false });
    expect(lastView(p, second.id).held).toBe(true);
    expect(lastView(p, first.id).held).toBe(false);
    expect((await p.core.handlers['calls.list']({})).length).toBe(2);
    await p.core.handlers['calls.hangup']({ callId: first.id });
    await p.core.handlers['calls.hangup']({ callId: second.id });
    await dave.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  });

  it('forwarding on busy: a second caller is sent to carol with 302', async () => {
    const bob = await peer('bob', BOB_TONE);
    const dave = await peer('dave', DAVE_TONE);
    await peer('carol', CAROL_TONE);
    const p = await ourPhone('forward-busy', { busyWhenInCall: true, forwardBusy: 'carol' });
    const before = p.events.length;
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const first = await nextIncoming(p, before);
    await p.core.handlers['calls.answer']({ callId: first.id });
    await until(p, first.id, (v) => v.state === 'established');
    await dave.ctrl.command('dial', 'sip:eve@lab.test');
    await expect
      .poll(() => p.events.some((e) => e.name === 'log.sip' && /^SIP\/2\.0 302 [^\r]*\r\n[\s\S]*^Contact: <sip:carol@lab\.test>/m.test((e.payload as { text: string }).text)), { timeout: 8000 })
      .toBe(true);
    await p.core.handlers['calls.hangup']({ callId: first.id });
  });

  it('Do Not Disturb refuses a call with the chosen status, without ringing', async () => {
    const bob = await peer('bob', BOB_TONE);
    const p = await ourPhone('dnd', { dnd: true, dndCode: 603 });
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const closed = await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 8000 });
    expect(JSON.stringify(closed)).toContain('603');
    expect(p.events.some((e) => e.name === 'call.incoming')).toBe(false);
  });
});

describe('local conference and recording with baresip', () => {
  it('three-way: bob hears carol and us, carol hears bob and us; a recording holds both sides; split and remove', async () => {
    const bob = await peer('bob', BOB_TONE);
    const carol = await peer('carol', CAROL_TONE);
    const p = await ourPhone('conference');
    const toBob = await p.core.handlers['calls.dial']({ target: 'bob' });
    await until(p, toBob.id, (v) => v.state === 'established');
    // Adding carol to the call: bob is not held meanwhile (baresip stops recording when held).
    const toCarol = await p.core.handlers['calls.dial']({ target: 'carol', conference: true });
    await until(p, toCarol.id, (v) => v.conference === true);
    await until(p, toBob.id, (v) => v.conference === true);
    expect(lastView(p, toBob.id).held).not.toBe(true);
    expect(lastView(p, toCarol.id).held).not.toBe(true);
    // Merging what is merged already changes nothing.
    expect((await p.core.handlers['calls.merge']({ callIds: [toBob.id, toCarol.id] })).map((v) => v.conference)).toEqual([true, true]);
    const recorded = await p.core.handlers['calls.record']({ callId: toBob.id, recording: true });
    expect(recorded.recording).toBe(true);
    await sleep(3000);
    await p.core.handlers['calls.record']({ callId: toBob.id, recording: false });
    // Split carol out: she is held, bob no longer hears her.
    const split = await p.core.handlers['calls.split']({ callId: toCarol.id });
    expect(split).toMatchObject({ held: true });
    expect(split.conference).toBeUndefined();
    await p.core.handlers['calls.hangup']({ callId: toCarol.id });
    await p.core.handlers['calls.hangup']({ callId: toBob.id });
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    await carol.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    await sleep(300);
    const bobHeard = bob.recordings().at(-1)!;
    const carolHeard = carol.recordings().at(-1)!;
    // Each hears the other and us (a quieter share: our tone is mixed with a louder one), never itself.
    const end = (wav: string) => parseWav(readFileSync(wav), wav).samples.length / parseWav(readFileSync(wav), wav).sampleRate;
    const bobEnd = end(bobHeard);
    expect(presence(bobHeard, CAROL_TONE, 0.5, bobEnd - 0.5)).toBeGreaterThan(0.5);
    expect(presence(bobHeard, OUR_TONE, 0.5, bobEnd - 0.5)).toBeGreaterThan(0.08);
    expect(presence(bobHeard, BOB_TONE, 0.5, bobEnd - 0.5)).toBeLessThan(0.02);
    const carolEnd = end(carolHeard);
    expect(presence(carolHeard, BOB_TONE, 0.5, carolEnd - 0.5)).toBeGreaterThan(0.5);
    expect(presence(carolHeard, OUR_TONE, 0.5, carolEnd - 0.5)).toBeGreaterThan(0.08);
    expect(presence(carolHeard, CAROL_TONE, 0.5, carolEnd - 0.5)).toBeLessThan(0.02);
    const recordings = readdirSync(join(phoneDataDir('conference'), 'recordings'));
    expect(recordings).toHaveLength(1);
    const file = join(phoneDataDir('conference'), 'recordings', recordings[0]!);
    const length = end(file);
    expect(length).toBeGreaterThan(2);
    expect(presence(file, OUR_TONE, 0.5, length - 0.5)).toBeGreaterThan(0.08);
    expect(presence(file, BOB_TONE, 0.5, length - 0.5)).toBeGreaterThan(0.08);
  });
});
