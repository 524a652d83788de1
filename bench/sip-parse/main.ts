/**
 * SIP parsing: messages per second and heap bytes per retained parsed message, on a realistic
 * corpus (INVITE/100/180/200 with SDP, ACK, BYE, REGISTER with Authorization, NOTIFY with
 * PIDF), for our parser and, in the same run, JsSIP's, SIP.js's and the `sip` package's.
 * Ours starts from the datagram bytes and reads the headers a user agent uses as typed values
 * (Via, From, To, Call-ID, CSeq, Contact, Content-Length/Type, and per message Authorization,
 * Event, Subscription-State); the others start from a string (the decoding is on us only).
 * Prints the rates, the ratios to the `sip` package, and the memory per message.
 */
import jssipParser from 'jssip/lib/Parser.js';
import sip from 'sip';
import { Parser as SipJsParser } from 'sip.js/lib/core/messages/parser.js';
import { parseMessage } from '../../main/core/sip/index.js';
import { corpus } from '../../test/fixtures/sip/corpus.js';

const texts = Object.values(corpus);
const datagrams = texts.map((t) => new TextEncoder().encode(t));
const quietLogger = { debug() {}, log() {}, warn() {}, error() {} };

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
  'sip (npm)': (i) => sip.parse(texts[i]!),
};

function rate(parse: Parse, ms: number): number {
  let n = 0;
  let sink = 0;
  const end = performance.now() + ms;
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < texts.length; i++) if (parse(i) !== undefined) sink++;
    n += texts.length;
  }
  if (sink !== n) throw new Error('a parser failed on the corpus');
  return n / ((performance.now() - start) / 1000);
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

for (const parse of Object.values(parsers)) rate(parse, 300); // warm-up: let every JIT settle
const rounds = 3;
const results = new Map<string, number[]>();
for (let r = 0; r < rounds; r++) {
  for (const [name, parse] of Object.entries(parsers)) results.set(name, [...(results.get(name) ?? []), rate(parse, 1000)]);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const baseline = median(results.get('sip (npm)')!);
process.stdout.write(`corpus: ${texts.length} messages, ${datagrams.reduce((n, d) => n + d.length, 0)} bytes; median of ${rounds} one-second rounds\n`);
for (const [name, xs] of results) {
  const perSecond = median(xs);
  const memory = bytesPerMessage(parsers[name]!, 20_000);
  process.stdout.write(
    `${name.padEnd(10)} ${Math.round(perSecond).toLocaleString('en').padStart(10)} msg/s   ×${(perSecond / baseline).toFixed(2)} of sip (npm)   ${Number.isNaN(memory) ? 'n/a' : `${Math.round(memory).toLocaleString('en')} B/msg retained`}\n`,
  );
}
