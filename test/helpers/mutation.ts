/**
 * Mutation fuzzing shared by the parser's fuzz test and the reliability fuzzer: a seeded PRNG (a
 * failure can be replayed from its seed) and a mutator that damages a message the ways a hostile
 * peer would — byte flips to interesting values, cuts, duplicated runs, truncation, inserted
 * header lines (duplicates, huge values, folding, wrong lengths) and stray bytes.
 */
/** mulberry32: a small seeded PRNG, so a failure can be replayed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const interesting = [0, 9, 10, 13, 32, 34, 37, 44, 47, 58, 59, 60, 61, 62, 63, 64, 91, 92, 93, 0x7f, 0x80, 0xc3, 0xff].concat([...'0123456789'].map((c) => c.charCodeAt(0)));
const lines = ['\r\n', '\r\n ', 'Via: SIP/2.0/UDP [::1]:5060;rport;branch=z9hG4bK\r\n', 'Content-Length: 0\r\n', 'l: 999\r\n', 'Contact: *\r\n', 'm: "a\\"" <sip:a@[::1];lr>;q=1\r\n', 'CSeq: 4294967295 ACK\r\n', 'Expires: 4294967296\r\n', 'Max-Forwards: 255\r\n', 'Authorization: Digest a="\r\n', 'Event: a..b\r\n', `X-Huge: ${'a'.repeat(70000)}\r\n`, `Subject: ${'\u00e9'.repeat(300)}\r\n`, 'To: <sip:%00%ff%C0%AF@host>\r\n', 'From: "\xc0\xaf" <sip:a@b>;tag=\0\r\n', 'Call-ID: \r\n', `Route: ${Array.from({ length: 300 }, (_, i) => `<sip:p${i}.example;lr>`).join(',')}\r\n`];

export function mutate(input: Buffer, next: () => number): Buffer {
  let bytes = Buffer.from(input);
  const steps = 1 + Math.floor(next() * 4);
  for (let s = 0; s < steps; s++) {
    const at = Math.floor(next() * (bytes.length + 1));
    const kind = Math.floor(next() * 6);
    if (kind === 0 && bytes.length > 0) {
      bytes[Math.min(at, bytes.length - 1)] = interesting[Math.floor(next() * interesting.length)]!;
    } else if (kind === 1) {
      const len = Math.floor(next() * 40);
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + len)]);
    } else if (kind === 2) {
      const len = Math.floor(next() * 80);
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + len), bytes.subarray(at)]);
    } else if (kind === 3) {
      bytes = bytes.subarray(0, at);
    } else if (kind === 4) {
      const lineStart = bytes.indexOf('\n', at) + 1;
      bytes = Buffer.concat([bytes.subarray(0, lineStart), Buffer.from(lines[Math.floor(next() * lines.length)]!), bytes.subarray(lineStart)]);
    } else {
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([interesting[Math.floor(next() * interesting.length)]!]), bytes.subarray(at)]);
    }
  }
  return bytes;
}

