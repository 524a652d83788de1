/**
 * A call carried over a network change against real peers (issue "Desktop shell" point 5):
 * our core registered as eve at the lab's Kamailio (over TCP, then UDP), in a call with baresip
 * bob through it, both sending a tone and recording what they hear. Then `core.networkChanged()`
 * — what the Electron host calls on resume, unlock or an interface change: over TCP eve's
 * connection to Kamailio is dropped and she registers again over a new one (over UDP she simply
 * registers again); once the registrar answered, the call is re-INVITEd through Kamailio with
 * eve's Contact and her media on a new RTP port (the old one closed); bob answers 200 and the
 * audio goes on both ways on the new port.
 */
import { createSocket } from 'node:dgram';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccountStatus, CallStats, CallView, SipLogEntry } from '../../shared/model.js';
import { createCore, type Core } from '../../main/core/index.js';
import { encodeWav, WavFileDriver } from '../../main/core/audio/index.js';
import { isSipUri, parseUri } from '../../main/core/sip/uri/index.js';
import { accountFields } from '../helpers/account-fields.js';
import { analyseSamples, parseWav } from './lab/audio.js';
import { startBaresip, type Baresip } from './lab/baresip.js';
import { startKamailio, type Kamailio } from './lab/kamailio.js';
import { labCoreOptions } from './lab/core.js';

const OUR_TONE = 440;
const BOB_TONE = 1000;
const RATE = 8000;

let kamailio: Kamailio;
let bob: Baresip;
let core: Core | undefined;
const dir = mkdtempSync(join(tmpdir(), 'network-change-'));
let events: { name: string; payload: unknown; at: number }[] = [];

beforeAll(async () => {
  kamailio = await startKamailio();
  bob = await startBaresip({ user: 'bob', kamailio, toneHz: BOB_TONE, answerMode: 'auto', accountParams: ';audio_codecs=pcmu' });
}, 30_000);
afterEach(async () => {
  await core?.close();
  core = undefined;
  events = [];
});
afterAll(async () => {
  await bob?.stop();
  await kamailio?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const of = <T>(name: string) => events.filter((e) => e.name === name).map((e) => e.payload as T);
const callViews = (id: string) => of<CallView>('call.state').filter((v) => v.id === id);
const packetsReceived = () => of<CallStats>('call.stats').at(-1)?.packetsReceived ?? 0;
const sipOut = (method: string) => of<SipLogEntry>('log.sip').filter((e) => e.direction === 'out' && e.firstLine.startsWith(`${method} `));
/** Our re-INVITEs: INVITEs in the dialog (a To tag). */
const reinvites = () => sipOut('INVITE').filter((e) => /^To: .*;tag=/m.test(e.text));
const audioPort = (entry: SipLogEntry) => Number(/^m=audio (\d+) /m.exec(entry.text)![1]);
const cseqOf = (entry: SipLogEntry) => /^CSeq:\s*(\d+ \w+)/im.exec(entry.text)![1];

/** Share of energy at hz in [from, to) seconds of a recording (0..1). */
function presence(wav: string, hz: number, from: number, to?: number): number {
  const whole = parseWav(readFileSync(wav), wav);
  const samples = whole.samples.subarray(Math.round(from * whole.sampleRate), to === undefined ? undefined : Math.round(to * whole.sampleRate));
  return analyseSamples({ ...whole, samples }, hz).presence;
}

async function portFree(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  const bound = await new Promise<boolean>((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => resolve(true));
  });
  socket.close();
  return bound;
}

async function eve(transport: 'tcp' | 'udp'): Promise<Core> {
  const input = join(dir, 'eve-in.wav');
  writeFileSync(input, encodeWav({ sampleRate: RATE, channels: 1, samples: Int16Array.from({ length: RATE * 60 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * OUR_TONE * i) / RATE))) }));
  const data = join(dir, `data-${transport}`);
  mkdirSync(data, { recursive: true });
  const made = await createCore(labCoreOptions(kamailio, data, { audio: { driver: new WavFileDriver({ input, output: join(dir, `eve-heard-${transport}.wav`) }), deviceSampleRate: RATE, rtpTimeoutSeconds: 0, statsIntervalSeconds: 1 }, transport }));
  made.subscribe((name, payload) => events.push({ name, payload, at: Date.now() }));
  await made.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', transport, srtp: 'off', registerExpires: 300 }));
  await expect.poll(async () => (await made.handlers['accounts.list']({}))[0]!.status.state, { timeout: 8000 }).toBe('registered');
  return made;
}

describe.each(['tcp', 'udp'] as const)('a call across a network change, with baresip through Kamailio (eve over %s)', (transport) => {
  it('eve registers again (a new connection over TCP), then re-INVITEs bob (200) with her media on a new port, and both keep hearing each other', async () => {
    core = await eve(transport);
    const hop = parseUri(`sip:lab.test;transport=${transport}`);
    if (!isSipUri(hop)) throw new Error('not a SIP URI');
    const [flowBefore] = await core.signalling.flowsToward(hop);
    if (transport === 'tcp') expect(flowBefore).toBeDefined();

    const call = await core.handlers['calls.dial']({ target: 'bob' });
    await expect.poll(() => callViews(call.id).at(-1)?.state, { timeout: 10_000 }).toBe('established');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    const t0 = Date.now();
    await sleep(2500);
    const oldPort = audioPort(sipOut('INVITE')[0]!);
    const receivedBefore = packetsReceived();
    expect(receivedBefore, 'eve hears bob before the change').toBeGreaterThan(50);

    const changedAt = Date.now();
    core.networkChanged();
    // Registered again, over another connection than before.
    await expect.poll(() => of<AccountStatus>('account.state').some((s) => s.state === 'registering' && events.find((e) => e.payload === s)!.at >= changedAt), { timeout: 3000 }).toBe(true);
    await expect.poll(async () => (await core!.handlers['accounts.list']({}))[0]!.status.state, { timeout: 8000 }).toBe('registered');
    if (transport === 'tcp') await expect.poll(async () => (await core!.signalling.flowsToward(hop))[0]?.id, { timeout: 3000 }).not.toBe(flowBefore!.id);
    // The call: shown reconnecting, re-INVITEd, and no longer reconnecting once bob's 200 came.
    await expect.poll(() => reinvites().length, { timeout: 8000 }).toBe(1);
    const reinvite = reinvites()[0]!;
    const newPort = audioPort(reinvite);
    expect(newPort).not.toBe(oldPort);
    // The way the call's INVITE went (over UDP a request this big may go by TCP, §18.1.1).
    expect(reinvite.transport).toBe(sipOut('INVITE')[0]!.transport);
    expect(reinvite.text).toMatch(transport === 'tcp' ? /^Contact: <sip:eve@127\.0\.0\.1:\d+;transport=tcp>/m : /^Contact: <sip:eve@127\.0\.0\.1:\d+>/m);
    // Sent once the registrar answered the REGISTER that followed the change (pjsua's order).
    const registeredAgain = of<SipLogEntry>('log.sip').find((e) => e.direction === 'in' && e.firstLine.startsWith('SIP/2.0 200') && / REGISTER\s*$/m.test(e.text.split('\n').find((l) => /^CSeq:/i.test(l)) ?? '') && e.at >= changedAt);
    expect(registeredAgain, 'a 200 to REGISTER after the change').toBeDefined();
    expect(registeredAgain!.seq).toBeLessThan(reinvite.seq);
    const ok = () => of<SipLogEntry>('log.sip').filter((e) => e.direction === 'in' && e.firstLine.startsWith('SIP/2.0 200') && cseqOf(e) === cseqOf(reinvite));
    await expect.poll(() => ok().length, { timeout: 8000 }).toBeGreaterThan(0);
    expect(ok()[0]!.text, "bob's answer names his media").toMatch(/^m=audio \d+ RTP\/AVP/m);
    await expect.poll(() => callViews(call.id).at(-1)?.reconnecting, { timeout: 3000 }).toBeUndefined();
    expect(callViews(call.id).some((v) => v.reconnecting === true)).toBe(true);
    const recoveredAt = Date.now();
    expect(callViews(call.id).at(-1)!.state).toBe('established');
    await expect.poll(() => portFree(oldPort), { timeout: 2000 }).toBe(true);

    // Audio both ways after the change: eve's packet count goes on, bob's recording has her tone.
    const afterChange = packetsReceived();
    await sleep(3000);
    expect(packetsReceived() - afterChange, 'eve hears bob on her new port').toBeGreaterThan(100);
    expect(await portFree(newPort)).toBe(false);
    const hungUpAt = Date.now();
    await core.handlers['calls.hangup']({ callId: call.id });
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 8000 });
    await sleep(300);
    const seconds = (at: number) => (at - t0) / 1000;
    const heard = join(dir, `eve-heard-${transport}.wav`);
    expect(presence(heard, BOB_TONE, 0.5, seconds(changedAt) - 0.2), 'eve hears bob before').toBeGreaterThan(0.5);
    expect(presence(heard, BOB_TONE, seconds(recoveredAt) + 0.5, seconds(hungUpAt) - 0.3), 'eve hears bob after').toBeGreaterThan(0.5);
    const bobHeard = bob.recordings().at(-1)!;
    expect(presence(bobHeard, OUR_TONE, 0.5, seconds(changedAt) - 0.2), 'bob hears eve before').toBeGreaterThan(0.5);
    expect(presence(bobHeard, OUR_TONE, seconds(recoveredAt) + 0.5, seconds(hungUpAt) - 0.3), 'bob hears eve after, from her new port').toBeGreaterThan(0.5);
    console.info(
      `network change over ${transport}: registered again and re-INVITE answered ${recoveredAt - changedAt} ms after networkChanged(); ` +
        `RTP moved ${oldPort} → ${newPort}; eve received ${packetsReceived() - afterChange} packets in the 3 s after`,
    );
  }, 60_000);
});
