/**
 * The reliability fuzzer (issue "Reliability and security" point 1): mutated SIP messages and
 * SDP bodies, from a seed corpus of real ones, through the parser, the typed headers, the SDP
 * offer/answer, and a running phone over UDP. Nothing may escape but the named parse errors; no
 * input may take long (a hang); memory must come back. `FUZZ_INPUTS` sets the parser's count
 * (CI: 200,000; `npm run fuzz`: millions); the figures are printed for docs/RELIABILITY.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { NullDriver } from '../../main/core/audio/index.js';
import { SessionDescriptionState, SdpNegotiationError, SdpParseError } from '../../main/core/media/sdp/index.js';
import { parseMessage, SipParseError, type SipMessage } from '../../main/core/sip/index.js';
import { corpus } from '../fixtures/sip/corpus.js';
import { testCore, udpPort } from '../helpers/core.js';
import { mutate, random } from '../helpers/mutation.js';
import { readEverything } from '../main/core/sip/messages/read-everything.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const inputs = Number(process.env['FUZZ_INPUTS'] ?? 200_000);
/** An input that takes longer than this is a hang. */
const SLOW_MS = 200;

function files(dir: string, suffix: string): Buffer[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)));
}

const sipSeeds: Buffer[] = [...files(join(FIXTURES, 'sip'), '.dat'), ...files(join(FIXTURES, 'sip'), '.sip'), ...Object.values(corpus).map((m) => Buffer.from(m))];
const sdpSeeds: Buffer[] = files(join(FIXTURES, 'sdp'), '.sdp');

// A full collection before each reading, so what is measured is what stays reachable.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapMb(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe('reliability fuzzing', () => {
  it(`the parser: ${inputs.toLocaleString('en')} mutated messages throw nothing but SipParseError, none hangs, memory comes back`, () => {
    expect(sipSeeds.length).toBeGreaterThan(40);
    const next = random(20261122);
    const heapBefore = heapMb();
    const started = performance.now();
    let accepted = 0;
    let slowest = 0;
    for (let i = 0; i < inputs; i++) {
      const bytes = mutate(sipSeeds[i % sipSeeds.length]!, next);
      const t0 = performance.now();
      let message: SipMessage | undefined;
      try {
        message = parseMessage(bytes, { framing: i % 8 === 0 ? 'stream' : 'datagram' });
        readEverything(message);
      } catch (error) {
        if (!(error instanceof SipParseError)) throw new Error(`input ${i} (seed 20261122) escaped as ${String(error)}`, { cause: error });
      }
      if (message !== undefined) accepted++;
      const took = performance.now() - t0;
      if (took > slowest) slowest = took;
    }
    const seconds = (performance.now() - started) / 1000;
    const heapAfter = heapMb();
    console.log(
      `FIGURES fuzz-parser inputs=${inputs} accepted=${accepted} seconds=${seconds.toFixed(1)} perSecond=${Math.round(inputs / seconds)} slowestMs=${slowest.toFixed(1)} heapMb=${heapBefore.toFixed(0)}->${heapAfter.toFixed(0)}`,
    );
    expect(slowest).toBeLessThan(SLOW_MS);
    expect(accepted).toBeGreaterThan(inputs / 20);
    expect(heapAfter - heapBefore).toBeLessThan(64);
  }, 600_000);

  it('SDP offers: mutated bodies are answered or refused with a named SDP error', () => {
    expect(sdpSeeds.length).toBeGreaterThan(3);
    const next = random(4566);
    const count = Math.max(20_000, Math.round(inputs / 10));
    let answered = 0;
    for (let i = 0; i < count; i++) {
      const offer = mutate(sdpSeeds[i % sdpSeeds.length]!, next).toString('latin1');
      const state = new SessionDescriptionState({
        address: '192.0.2.1',
        sessionId: '1',
        audio: { port: 40000, codecs: [{ name: 'PCMU', clockRate: 8000, channels: 1, payloadType: 0 }, { name: 'opus', clockRate: 48000, channels: 2, payloadType: 111 }], direction: 'sendrecv', profile: 'RTP/AVP' },
      });
      try {
        state.createAnswer(offer);
        answered++;
      } catch (error) {
        if (!(error instanceof SdpParseError) && !(error instanceof SdpNegotiationError)) throw new Error(`SDP input ${i} escaped as ${String(error)}`, { cause: error });
      }
    }
    console.log(`FIGURES fuzz-sdp inputs=${count} answered=${answered}`);
    expect(answered).toBeGreaterThan(count / 20);
  }, 300_000);

  it('a running phone takes 5,000 mutated datagrams and still answers a good request', async () => {
    const { core } = await testCore({ audio: { driver: new NullDriver() }, signalling: { rateLimit: { perSecond: 100_000, burst: 100_000 } } });
    const port = udpPort(core);
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const answers: string[] = [];
    socket.on('message', (data) => answers.push(data.toString('latin1', 0, Math.min(data.length, 40)).split('\r\n')[0]!));
    const next = random(3261);
    for (let i = 0; i < 5000; i++) {
      const bytes = mutate(sipSeeds[i % sipSeeds.length]!, next);
      if (bytes.length > 0 && bytes.length < 60_000) socket.send(bytes, port, '127.0.0.1');
      if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = answers.length;
    const options = [
      `OPTIONS sip:nobody@127.0.0.1:${port} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${socket.address().port};branch=z9hG4bKfuzzcheck`,
      'Max-Forwards: 70',
      'From: <sip:check@127.0.0.1>;tag=c',
      'To: <sip:nobody@127.0.0.1>',
      'Call-ID: fuzz-check',
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    socket.send(Buffer.from(options), port, '127.0.0.1');
    await expect.poll(() => answers.slice(before).includes('SIP/2.0 200 OK'), { timeout: 5000 }).toBe(true);
    const counts = new Map<string, number>();
    for (const line of answers) counts.set(line.slice(8, 11), (counts.get(line.slice(8, 11)) ?? 0) + 1);
    console.log(`FIGURES fuzz-phone datagrams=5000 answers=${answers.length} byStatus=${JSON.stringify(Object.fromEntries(counts))}`);
    // Most damage leaves no request to answer (dropped, RFC 3261 §18.3); what is identifiable is answered.
    expect(counts.get('400') ?? 0).toBeGreaterThan(20);
    socket.close();
    expect((await core.handlers['app.info']({})).name).toBe('Softphone');
  }, 120_000);
});
