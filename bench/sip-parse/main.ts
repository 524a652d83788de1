/**
 * SIP parsing: messages per second and heap bytes per retained parsed message, on a realistic
 * corpus (INVITE/100/180/200 with SDP, ACK, BYE, REGISTER with Authorization, NOTIFY with
 * PIDF), for our parser and, in the same run, JsSIP's, SIP.js's and the `sip` package's.
 * Ours starts from the datagram bytes and reads the headers a user agent uses as typed values
 * (Via, From, To, Call-ID, CSeq, Contact, Content-Length/Type, and per message Authorization,
 * Event, Subscription-State); the others start from a string (the decoding is on us only).
 *
 * The parsers take turns: each round gives every one of them a short slice of time, in an order
 * that rotates from round to round, and counts the messages it parsed per second of the
 * process's CPU time. Load from other programs on a shared machine then falls on all of them
 * alike (a slice preempted costs wall time, not CPU time), and the ratio of ours to the `sip`
 * package's is taken within each round. Prints the median rates, the median ratio with its
 * spread over the rounds, and the memory per message.
 *
 * SIP_PARSE_BENCH_ROUNDS (default 15) and SIP_PARSE_BENCH_SLICE_MS (default 150) tune it.
 */
import jssipParser from 'jssip/lib/Parser.js';
import sip from 'sip';
import { Parser as SipJsParser } from 'sip.js/lib/core/messages/parser.js';
import { parseMessage } from '../../main/core/sip/index.js';
import { corpus } from '../../test/fixtures/sip/corpus.js';

const texts = Object.values(corpus);
const datagrams = texts.map((t) => new TextEncoder().encode(t));
const quietLogger = { debug() {}, log() {}, warn() {}, error() {} };
const ROUNDS = Number(process.env['SIP_PARSE_BENCH_ROUNDS'] ?? 15);
const SLICE_MS = Number(process.env['SIP_PARSE_BENCH_SLICE_MS'] ?? 150);
const BASELINE = 'sip (npm)';

/** Each parser returns its parsed message (ours with the typed headers already read). */
type Parse = (i: number) => unknown;
const parsers: Record<string, Parse> = {
  ours: (i) => {
    const m = parseMessage(datagrams[i]!);
    // Read what a UA reads; our header values are parsed lazily on first access, then cached.
    void [m.topVia?.branch, m.from.tag, m.to.uri, m.callId, m.cseq.seq, m.contacts.length, m.contentLength, m.contentType?.type];
    if (m.kind === 'request' && m.method === 'REGISTER') void m.authorization[0];
    if (m.kind === 'request' && m.method === 'NOTIFY') void [m.event?.package, m.subscriptionState?.state];
    return m;
  },
  jssip: (i) => jssipParser.parseMessage(texts[i]!, {}),
  'sip.js': (i) => SipJsParser.parseMessage(texts[i]!, quietLogger as never),
  [BASELINE]: (i) => sip.parse(texts[i]!),
};
const names = Object.keys(parsers);

interface Slice {
  /** Messages per second of CPU time. */
  readonly cpu: number;
  /** Messages per second of wall time. */
  readonly wall: number;
}

/** Parses the corpus over and over for `ms` of wall time. */
function slice(parse: Parse, ms: number): Slice {
  let n = 0;
  let sink = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  while (performance.now() < end) {
    for (let i = 0; i < texts.length; i++) if (parse(i) !== undefined) sink++;
    n += texts.length;
  }
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (sink !== n) throw new Error('a parser failed on the corpus');
  return { cpu: n / ((cpu.user + cpu.system) / 1e6), wall: n / wall };
}

function bytesPerMessage(parse: Parse, count: number): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return Number.NaN;
  const kept: unknown[] = new Array(count);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let n = 0; n < count; n++) kept[n] = parse(n % texts.length);
  gc();
  const after = process.memoryUsage().heapUsed;
  if (kept.length !== count) throw new Error('unreachable');
  return (after - before) / count;
}

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const rate = (x: number) => Math.round(x).toLocaleString('en').padStart(10);

for (const parse of Object.values(parsers)) slice(parse, 300); // warm-up: let every JIT settle
const slices = new Map<string, Slice[]>(names.map((name) => [name, []]));
for (let r = 0; r < ROUNDS; r++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(r + k) % names.length]!;
    slices.get(name)!.push(slice(parsers[name]!, SLICE_MS));
  }
}
const baseline = slices.get(BASELINE)!;
process.stdout.write(
  `corpus: ${texts.length} messages, ${datagrams.reduce((n, d) => n + d.length, 0)} bytes; ${ROUNDS} rounds of ${SLICE_MS} ms per parser, taking turns\n`,
);
process.stdout.write(`${'parser'.padEnd(10)} ${'msg/CPU-s'.padStart(10)} ${'msg/s'.padStart(10)}   ratio to ${BASELINE} (median of rounds, min–max)   memory\n`);
for (const name of names) {
  const own = slices.get(name)!;
  const ratios = own.map((s, r) => s.cpu / baseline[r]!.cpu);
  // 20,000 messages, or as many as the parser reads in about a second if fewer.
  const memory = bytesPerMessage(parsers[name]!, Math.max(1000, Math.min(20_000, Math.round(median(own.map((s) => s.cpu))))));
  process.stdout.write(
    `${name.padEnd(10)} ${rate(median(own.map((s) => s.cpu)))} ${rate(median(own.map((s) => s.wall)))}   ` +
      `×${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`.padEnd(42) +
      `${Number.isNaN(memory) ? 'n/a' : `${Math.round(memory).toLocaleString('en')} B/msg retained`}\n`,
  );
}
