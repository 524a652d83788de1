/**
 * Property tests (fast-check): for any valid SIP message built from the grammar's pieces —
 * methods, URIs with parameters, Via/From/To/Call-ID/CSeq, extension headers with folded or
 * comma-separated values, bodies of any bytes — parsing is stable: parse → serialize → parse
 * gives the same message, and serializing what was parsed gives the same bytes again.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessage, serializeMessage, type SipMessage } from '../../main/core/sip/index.js';

const token = fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~]{1,16}$/);
const host = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,10}(\.[a-z][a-z0-9-]{0,10}){0,3}$/).filter((h) => !h.endsWith('-') && !/-\./.test(h)),
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
  fc.constantFrom('[::1]', '[2001:db8::10]', '[fe80::1:2]'),
);
const user = fc.stringMatching(/^[a-zA-Z0-9\-_.!~*'()&=+$,;?/]{1,20}$/);
/** uri-parameter names and values: paramchar without escapes (RFC 3261 §25.1). */
const paramchars = fc.stringMatching(/^[A-Za-z0-9\-_.!~*'()[\]/:&+$]{1,12}$/);
const param = fc.tuple(paramchars, fc.option(paramchars, { nil: undefined })).map(([n, v]) => (v === undefined ? `;${n}` : `;${n}=${v}`));
const sipUri = fc
  .tuple(fc.constantFrom('sip', 'sips'), fc.option(user, { nil: undefined }), host, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), fc.array(param, { maxLength: 3 }))
  .map(([scheme, u, h, port, params]) => `${scheme}:${u === undefined ? '' : `${u}@`}${h}${port === undefined ? '' : `:${port}`}${params.join('')}`);
const displayName = fc.option(fc.stringMatching(/^[A-Za-z0-9 ]{1,12}$/).map((d) => `"${d.trim() || 'x'}" `), { nil: '' });
const headerValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,40}[\x21-\x7e])?$/).filter((v) => !/[\r\n]/.test(v));
const extension = fc.tuple(fc.stringMatching(/^X-[A-Za-z0-9-]{1,12}$/), fc.array(headerValue, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([name, values, fold]) =>
  fold && values.length > 1 ? `${name}: ${values[0]}\r\n ${values.slice(1).join(' ')}` : `${name}: ${values.join(', ')}`,
);

const request = fc
  .record({
    method: fc.constantFrom('INVITE', 'REGISTER', 'OPTIONS', 'MESSAGE', 'SUBSCRIBE', 'NOTIFY', 'FOO'),
    uri: sipUri,
    viaHost: host,
    branch: fc.stringMatching(/^[A-Za-z0-9]{1,16}$/),
    from: fc.tuple(displayName, sipUri, token),
    to: fc.tuple(displayName, sipUri),
    callId: fc.stringMatching(/^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]{1,24}(@[A-Za-z0-9.]{1,10})?$/),
    seq: fc.nat(2 ** 31 - 1),
    extensions: fc.array(extension, { maxLength: 4 }),
    body: fc.uint8Array({ maxLength: 200 }),
  })
  .map((r) => {
    const head = [
      `${r.method} ${r.uri} SIP/2.0`,
      `Via: SIP/2.0/UDP ${r.viaHost};branch=z9hG4bK${r.branch}`,
      'Max-Forwards: 70',
      `From: ${r.from[0]}<${r.from[1]}>;tag=${r.from[2]}`,
      `To: ${r.to[0]}<${r.to[1]}>`,
      `Call-ID: ${r.callId}`,
      `CSeq: ${r.seq} ${r.method}`,
      ...r.extensions,
      ...(r.body.length > 0 ? ['Content-Type: application/octet-stream'] : []),
      `Content-Length: ${r.body.length}`,
      '',
      '',
    ].join('\r\n');
    return Buffer.concat([Buffer.from(head, 'latin1'), r.body]);
  });

function essentials(m: SipMessage): unknown {
  return {
    startLine: m.startLine,
    callId: m.callId,
    cseq: m.cseq.toString(),
    from: m.from.toString(),
    to: m.to.toString(),
    via: m.via.map((v) => v.toString()),
    headers: m.headers.map((h) => [h.name.toLowerCase(), h.value.replace(/\s+/g, ' ')]),
    body: Buffer.from(m.body).toString('hex'),
  };
}

describe('parser properties (fast-check)', () => {
  it('parse → serialize → parse is stable, and serializing is idempotent', () => {
    fc.assert(
      fc.property(request, (bytes) => {
        const first = parseMessage(bytes, { framing: 'datagram' });
        const written = serializeMessage(first);
        const second = parseMessage(written, { framing: 'datagram' });
        expect(essentials(second)).toEqual(essentials(first));
        expect(Buffer.from(serializeMessage(second)).equals(Buffer.from(written))).toBe(true);
      }),
      { numRuns: Number(process.env['FUZZ_PROPERTY_RUNS'] ?? 3000), seed: 3261 },
    );
  });
});
