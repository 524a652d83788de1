/**
 * Two MediaStreams on loopback, each with real UDP sockets and a WAV-file driver: alice plays one
 * tone, bob another, and each records what it hears.
 */
import { createSocket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeWav, parseWav } from '../../../../../main/core/audio/wav.js';
import { WavFileDriver } from '../../../../../main/core/audio/wav-file-driver.js';
import { codecs, describeCodec, isOpusAvailable, type AudioCodec } from '../../../../../main/core/media/codecs/index.js';
import { formatSdesCrypto, generateSdesCrypto, type SdesCrypto } from '../../../../../main/core/media/srtp/index.js';
import { allocateRtpPort, type RtpPort } from '../../../../../main/core/media/rtp-port.js';
import type { NegotiatedAudio } from '../../../../../main/core/media/sdp/index.js';
import { MediaStream, MediaStreamError, type MediaStreamDelegate, type MediaStreamOptions, type MediaStreamStatistics } from '../../../../../main/core/media/stream/index.js';
import { analyseSamples, type ToneAnalysis } from '../../../../interop/lab/audio.js';
import { tempDir } from '../../../../helpers/temp-dir.js';

const ALICE_HZ = 600;
const BOB_HZ = 1000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function toneWav(path: string, sampleRate: number, hz: number): string {
  const samples = Int16Array.from({ length: sampleRate }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / sampleRate)));
  writeFileSync(path, encodeWav({ sampleRate, channels: 1, samples }));
  return path;
}

/** The tone analysis of a recording, from `fromSeconds` to the end. */
function heard(path: string, hz: number, fromSeconds = 0): ToneAnalysis {
  const wav = parseWav(readFileSync(path));
  const samples = Float64Array.from(wav.samples.subarray(Math.round(fromSeconds * wav.sampleRate)), (s) => s / 32768);
  return analyseSamples({ sampleRate: wav.sampleRate, channels: 1, samples }, hz);
}

function negotiation(codec: AudioCodec, remotePort: number, extra: Partial<NegotiatedAudio> = {}): NegotiatedAudio {
  const voice = describeCodec(codec);
  return {
    mediaIndex: 0,
    protocol: 'RTP/AVP',
    remoteAddress: '127.0.0.1',
    remotePort,
    rtcpAddress: '127.0.0.1',
    rtcpPort: remotePort + 1,
    rtcpMux: false,
    codec: voice,
    codecs: [voice, describeCodec(codecs['telephone-event']), describeCodec(codecs.CN)],
    telephoneEvent: { payloadType: 101, clockRate: 8000 },
    ptime: 20,
    direction: 'sendrecv',
    remoteHold: false,
    crypto: [],
    ...extra,
  };
}

interface Party {
  readonly name: string;
  readonly port: RtpPort;
  readonly recording: string;
  readonly stream: MediaStream;
  readonly digits: string[];
  readonly stats: MediaStreamStatistics[];
  readonly errors: Error[];
  timeouts: number;
}

const started: Party[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((party) => party.stream.stop()));
});

async function party(name: string, hz: number, rate: number, options: Partial<MediaStreamOptions> = {}): Promise<Party> {
  const dir = tempDir();
  const port = await allocateRtpPort('127.0.0.1');
  const recording = join(dir, `${name}-heard.wav`);
  const driver = new WavFileDriver({ input: toneWav(join(dir, `${name}.wav`), rate, hz), output: recording });
  const self: Party = { name, port, recording, digits: [], stats: [], errors: [], timeouts: 0, stream: undefined as unknown as MediaStream };
  const delegate: MediaStreamDelegate = {
    onDtmf: (digit) => self.digits.push(digit),
    onStats: (stats) => self.stats.push(stats),
    onRtpTimeout: () => self.timeouts++,
    onError: (error) => self.errors.push(error),
  };
  const stream = new MediaStream({ port, driver, delegate, statsIntervalMs: 400, ...options });
  const made: Party = Object.assign(self, { stream });
  started.push(made);
  return made;
}

interface PairOptions {
  readonly rate?: number;
  readonly alice?: Partial<MediaStreamOptions>;
  readonly bob?: Partial<MediaStreamOptions>;
  readonly aliceSdp?: Partial<NegotiatedAudio>;
  readonly bobSdp?: Partial<NegotiatedAudio>;
}

/** Alice and Bob, connected to each other, both started. */
async function call(codec: AudioCodec, options: PairOptions = {}): Promise<{ alice: Party; bob: Party }> {
  const rate = options.rate ?? codec.sampleRate;
  const device = rate === codec.sampleRate ? {} : { deviceSampleRate: rate };
  const alice = await party('alice', ALICE_HZ, rate, { ...device, ...options.alice });
  const bob = await party('bob', BOB_HZ, rate, { ...device, ...options.bob });
  await Promise.all([
    alice.stream.start(negotiation(codec, bob.port.port, options.aliceSdp)),
    bob.stream.start(negotiation(codec, alice.port.port, options.bobSdp)),
  ]);
  return { alice, bob };
}

async function hangUp(...parties: Party[]): Promise<void> {
  await Promise.all(parties.map((p) => p.stream.stop()));
}

/** Each hears the other's tone and not its own. */
function expectConversation(alice: Party, bob: Party): void {
  for (const [listener, otherHz, ownHz] of [
    [alice, BOB_HZ, ALICE_HZ],
    [bob, ALICE_HZ, BOB_HZ],
  ] as const) {
    const other = heard(listener.recording, otherHz);
    const own = heard(listener.recording, ownHz);
    expect(other.presence, `${listener.name} hears the other`).toBeGreaterThan(0.8);
    expect(other.toneLevel, `${listener.name} hears the other loud enough`).toBeGreaterThan(-20);
    expect(own.presence, `${listener.name} does not hear itself`).toBeLessThan(0.02);
    expect(listener.errors).toEqual([]);
  }
}

const voiceCodecs: [string, AudioCodec, number?][] = [
  ['PCMU', codecs.PCMU],
  ['PCMA', codecs.PCMA],
  ['G722', codecs.G722],
  ['PCMU with 48 kHz devices (resampled)', codecs.PCMU, 48000],
];
if (isOpusAvailable()) voiceCodecs.push(['opus', codecs.opus]);

describe('MediaStream: alice and bob talk on loopback', () => {
  it.each(voiceCodecs)('%s: each hears the other and not itself', async (_name, codec, rate) => {
    const { alice, bob } = await call(codec, rate === undefined ? {} : { rate });
    await sleep(1500);
    await hangUp(alice, bob);
    expectConversation(alice, bob);
  });

  it('SRTP (AES_CM_128_HMAC_SHA1_80): each hears the other; a wrong key hears nothing', async () => {
    const aliceKey = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80');
    const bobKey = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80');
    const secure = (peer: SdesCrypto) => ({ protocol: 'RTP/SAVP', crypto: [formatSdesCrypto(peer)] });
    const { alice, bob } = await call(codecs.PCMU, { alice: { sdes: [aliceKey] }, bob: { sdes: [bobKey] }, aliceSdp: secure(bobKey), bobSdp: secure(aliceKey) });
    await sleep(1500);
    await hangUp(alice, bob);
    expectConversation(alice, bob);
    expect(Object.keys(bob.stream.statistics().dropped).filter((reason) => reason.startsWith('srtp'))).toEqual([]);

    // Bob is keyed with a key alice never used: everything fails authentication (RFC 3711 §3.3).
    const wrong = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80');
    const second = await call(codecs.PCMU, { alice: { sdes: [aliceKey] }, bob: { sdes: [bobKey] }, aliceSdp: secure(bobKey), bobSdp: secure(wrong) });
    await sleep(600);
    await hangUp(second.alice, second.bob);
    expect(heard(second.bob.recording, ALICE_HZ).toneLevel).toBeLessThan(-60);
    expect(second.bob.stream.statistics().dropped.srtp_authentication_failed).toBeGreaterThan(10);
  });

  it('refuses SRTP without a matching key of ours', async () => {
    const p = await party('alice', ALICE_HZ, 8000);
    const theirs = generateSdesCrypto(2, 'AES_CM_128_HMAC_SHA1_80');
    await expect(p.stream.start(negotiation(codecs.PCMU, 9, { protocol: 'RTP/SAVP', crypto: [formatSdesCrypto(theirs)] }))).rejects.toBeInstanceOf(MediaStreamError);
    await expect(p.stream.start(negotiation(codecs.PCMU, 9, { codec: { name: 'G729', clockRate: 8000, channels: 1, payloadType: 18 } }))).rejects.toMatchObject({ code: 'unsupported_codec' });
  });

  it('reports plausible statistics, and says BYE on stop', async () => {
    const { alice, bob } = await call(codecs.PCMU);
    await sleep(1300);
    const stats = alice.stats.at(-1);
    expect(alice.stats.length).toBeGreaterThanOrEqual(2);
    expect(stats).toBeDefined();
    expect(stats!.codec).toBe('PCMU/8000');
    expect(stats!.packetsSent).toBeGreaterThan(40);
    expect(stats!.bytesSent).toBe(stats!.packetsSent * 160);
    expect(stats!.packetsReceived).toBeGreaterThan(40);
    expect(stats!.bytesReceived).toBeGreaterThan(40 * 160);
    expect(stats!.packetsLost).toBe(0);
    expect(stats!.lossPercent).toBe(0);
    expect(stats!.jitterMs).toBeLessThan(20);
    expect(stats!.mos).toBeGreaterThan(4);
    expect(stats!.jitterBuffer.played).toBeGreaterThan(30);
    expect(stats!.jitterBuffer.lost).toBe(0);
    expect(stats!.jitterBuffer.delayMs).toBeLessThan(150);
    await alice.stream.stop();
    await sleep(100);
    // RFC 3550 §6.6: the BYE reached bob (as an RTCP packet on his RTCP socket).
    expect(bob.stream.statistics().rtcpReceived).toBeGreaterThanOrEqual(1);
    await bob.stream.stop();
    await alice.stream.stop();
  });

  it('sends RTP with a completion callback for the first packet and one in 50 after it, RTCP always (its BYE is waited for)', async () => {
    const alice = await party('alice', ALICE_HZ, 8000);
    const bob = await party('bob', BOB_HZ, 8000);
    const rtpSends = vi.spyOn(alice.port.rtp, 'send');
    const rtcpSends = vi.spyOn(alice.port.rtcp, 'send');
    await Promise.all([alice.stream.start(negotiation(codecs.PCMU, bob.port.port)), bob.stream.start(negotiation(codecs.PCMU, alice.port.port))]);
    await sleep(1300);
    await alice.stream.stop();
    const sends = rtpSends.mock.calls.length;
    const checked = rtpSends.mock.calls.flatMap((args, index) => (typeof args.at(-1) === 'function' ? [index] : []));
    expect(sends).toBeGreaterThan(55);
    expect(checked).toEqual(Array.from({ length: Math.ceil(sends / 50) }, (_, i) => 50 * i));
    expect(rtcpSends.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(rtcpSends.mock.calls.every((args) => typeof args.at(-1) === 'function')).toBe(true);
    await sleep(100);
    expect(bob.stream.statistics().rtcpReceived).toBeGreaterThanOrEqual(1);
    expect(alice.stream.statistics().packetsSent).toBe(sends);
    expect(alice.errors).toEqual([]);
  });

  it('hold: sendonly stops audio to the holder, inactive stops both; no RTP timeout meanwhile', async () => {
    const codec = codecs.PCMU;
    const { alice, bob } = await call(codec, { alice: { rtpTimeoutMs: 200 }, bob: { rtpTimeoutMs: 200 } });
    await sleep(400);
    // Alice holds (RFC 6337 §5.3): she sends, bob receives.
    alice.stream.update(negotiation(codec, bob.port.port, { direction: 'sendonly' }));
    bob.stream.update(negotiation(codec, alice.port.port, { direction: 'recvonly', remoteHold: true }));
    await sleep(900);
    expect(heard(alice.recording, BOB_HZ, 0.9).toneLevel).toBeLessThan(-60);
    expect(heard(bob.recording, ALICE_HZ, 0.9).presence).toBeGreaterThan(0.8);
    alice.stream.update(negotiation(codec, bob.port.port, { direction: 'inactive' }));
    bob.stream.update(negotiation(codec, alice.port.port, { direction: 'inactive', remoteHold: true }));
    await sleep(700);
    await hangUp(alice, bob);
    expect(heard(alice.recording, BOB_HZ, 1.6).toneLevel).toBeLessThan(-60);
    expect(heard(bob.recording, ALICE_HZ, 1.6).toneLevel).toBeLessThan(-60);
    expect(alice.timeouts + bob.timeouts).toBe(0);
    expect(alice.stream.sendDtmf('1')).toBe('not_sending');
  });

  it('mute: the peer receives packets of silence', async () => {
    const { alice, bob } = await call(codecs.PCMA);
    alice.stream.mute(true);
    expect(alice.stream.isMuted).toBe(true);
    await sleep(800);
    await hangUp(alice, bob);
    expect(heard(bob.recording, ALICE_HZ).toneLevel).toBeLessThan(-50);
    expect(heard(alice.recording, BOB_HZ).presence).toBeGreaterThan(0.8);
    expect(bob.stream.statistics().packetsReceived).toBeGreaterThan(20);
  });

  it('DTMF: digits alice sends arrive at bob as RFC 4733 events; without telephone-event she is told', async () => {
    const { alice, bob } = await call(codecs.G722);
    await sleep(200);
    expect(alice.stream.sendDtmf('5', 100)).toBe('queued');
    expect(alice.stream.sendDtmf('#', 100)).toBe('queued');
    expect(alice.stream.sendDtmf('a', 100)).toBe('queued');
    expect(() => alice.stream.sendDtmf('x')).toThrow(/DTMF digit/);
    await sleep(1000);
    expect(bob.digits).toEqual(['5', '#', 'A']);
    expect(alice.digits).toEqual([]);
    await hangUp(alice, bob);
    expectConversation(alice, bob);

    const plain = await call(codecs.PCMU, { aliceSdp: { telephoneEvent: undefined } });
    expect(plain.alice.stream.sendDtmf('1')).toBe('not_negotiated');
    await hangUp(plain.alice, plain.bob);
  });

  it('RTP timeout fires once when the peer stops sending', async () => {
    const { alice, bob } = await call(codecs.PCMU, { alice: { rtpTimeoutMs: 300 } });
    await sleep(500);
    expect(alice.timeouts).toBe(0);
    await bob.stream.stop();
    await sleep(900);
    expect(alice.timeouts).toBe(1);
    await alice.stream.stop();
  });

  it('garbage at both ports is counted and dropped, and the audio goes on', async () => {
    const { alice, bob } = await call(codecs.PCMU);
    const attacker = createSocket('udp4');
    await new Promise<void>((resolve) => attacker.bind(0, '127.0.0.1', resolve));
    await sleep(300);
    const junk = [
      Buffer.from('hello'),
      Buffer.alloc(40, 0xff),
      // Version 1.
      Buffer.from([0x40, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3, 4, ...new Array(160).fill(0x55)]),
      // Well-formed RTP from a stranger: another SSRC from another address.
      Buffer.from([0x80, 0, 0, 1, 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef, ...new Array(160).fill(0x00)]),
      // A CSRC count that runs past the end.
      Buffer.from([0x8f, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3, 4]),
    ];
    for (let round = 0; round < 20; round++) {
      for (const datagram of junk) {
        attacker.send(datagram, bob.port.port, '127.0.0.1');
        attacker.send(datagram, bob.port.port + 1, '127.0.0.1');
      }
      await sleep(40);
    }
    await sleep(200);
    attacker.close();
    await hangUp(alice, bob);
    expectConversation(alice, bob);
    const dropped = bob.stream.statistics().dropped;
    const total = Object.values(dropped).reduce((sum, n) => sum + n, 0);
    expect(total).toBeGreaterThanOrEqual(150);
    expect(dropped.foreign_source).toBeGreaterThan(0);
  });

  it('re-INVITE: a new remote port, then a new codec and clock (a new SSRC), and the audio follows', async () => {
    const alice = await party('alice', ALICE_HZ, 8000);
    const bob = await party('bob', BOB_HZ, 8000);
    // Alice first sends to a dead port; bob only receives, so alice has nothing to latch to (RFC 4961).
    await Promise.all([
      alice.stream.start(negotiation(codecs.PCMU, bob.port.port + 100, { direction: 'sendonly' })),
      bob.stream.start(negotiation(codecs.PCMU, alice.port.port, { direction: 'recvonly' })),
    ]);
    await sleep(500);
    alice.stream.update(negotiation(codecs.PCMU, bob.port.port, { direction: 'sendonly' }));
    await sleep(500);
    expect(bob.stream.statistics().packetsReceived).toBeGreaterThan(10);
    // Both move to G.722 (16 kHz PCM through the 8 kHz devices) and then Opus (a 48 kHz RTP clock).
    alice.stream.update(negotiation(codecs.G722, bob.port.port, { direction: 'sendonly' }));
    bob.stream.update(negotiation(codecs.G722, alice.port.port, { direction: 'recvonly' }));
    await sleep(500);
    expect(bob.stream.statistics().codec).toBe('G722/8000');
    const next = isOpusAvailable() ? codecs.opus : codecs.PCMA;
    alice.stream.update(negotiation(next, bob.port.port, { direction: 'sendonly' }));
    bob.stream.update(negotiation(next, alice.port.port, { direction: 'recvonly' }));
    await sleep(600);
    await hangUp(alice, bob);
    expect(heard(bob.recording, ALICE_HZ, 0).presence).toBeGreaterThan(0.8);
    // Nothing before the port was right; the tone in each later stretch.
    expect(heard(bob.recording, ALICE_HZ, 0).durationSeconds).toBeGreaterThan(1.9);
    const wav = parseWav(readFileSync(bob.recording));
    const stretch = (from: number, to: number) =>
      analyseSamples({ sampleRate: 8000, channels: 1, samples: Float64Array.from(wav.samples.subarray(from * 8000, to * 8000), (s) => s / 32768) }, ALICE_HZ);
    expect(stretch(0, 0.45).toneLevel).toBeLessThan(-60);
    expect(stretch(0.7, 1.0).presence).toBeGreaterThan(0.8);
    expect(stretch(1.25, 1.5).presence).toBeGreaterThan(0.8);
    expect(stretch(1.75, 2.0).presence).toBeGreaterThan(0.8);
    expect(alice.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });

  it('moves to a new port (network change): receives on both while the move is offered, then sends from the new one and closes the old', async () => {
    const { alice, bob } = await call(codecs.PCMU);
    await sleep(300);
    const moved = await allocateRtpPort('127.0.0.1');
    alice.stream.receiveOn(moved);
    // Bob switches to the new port first (he answered our offer): alice hears him there already.
    bob.stream.update(negotiation(codecs.PCMU, moved.port));
    const before = alice.stream.statistics().packetsReceived;
    await sleep(300);
    expect(alice.stream.statistics().packetsReceived - before).toBeGreaterThan(8);
    alice.stream.usePort(moved);
    expect(() => alice.port.rtp.address()).toThrow();
    // Bob now receives from the new source port (the stream's SSRC goes on).
    const sources = new Set<number>();
    const spy = (_: Buffer, from: { port: number }) => sources.add(from.port);
    bob.port.rtp.on('message', spy);
    await sleep(300);
    bob.port.rtp.off('message', spy);
    expect([...sources]).toEqual([moved.port]);
    // A port offered and then refused is let go: nothing more is received on it.
    const refused = await allocateRtpPort('127.0.0.1');
    alice.stream.receiveOn(refused);
    alice.stream.releasePort(refused);
    expect(refused.rtp.listenerCount('message')).toBe(0);
    refused.close();
    await sleep(200);
    await hangUp(alice, bob);
    expect(() => moved.rtp.address()).toThrow();
    expectConversation(alice, bob);
  });

  it('stop is idempotent and closes the sockets', async () => {
    const { alice, bob } = await call(codecs.PCMU);
    await sleep(100);
    await Promise.all([alice.stream.stop(), alice.stream.stop(), bob.stream.stop()]);
    await alice.stream.stop();
    expect(() => alice.port.rtp.address()).toThrow();
    expect(() => bob.port.rtcp.address()).toThrow();
    expect(alice.stream.sendDtmf('1')).toBe('not_sending');
    expect(() => alice.stream.update(negotiation(codecs.PCMU, 9))).not.toThrow();
  });
});
