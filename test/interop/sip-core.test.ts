/**
 * The SIP core against a real peer: sipp on 127.0.0.1 exchanges OPTIONS and MESSAGE with our
 * endpoint (transport + transaction layers) over UDP and TCP, including sipp retransmitting
 * to us and sipp waiting for our retransmission.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createResponse } from '../../main/core/sip/messages/create-response.js';
import { SipRequest } from '../../main/core/sip/messages/index.js';
import { SipEndpoint } from '../../main/core/sip/sip-endpoint.js';
import type { ServerTransaction } from '../../main/core/sip/transactions/index.js';
import { runSipp } from './sipp.js';

let endpoint: SipEndpoint | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

function options(port: number): SipRequest {
  const tag = randomBytes(4).toString('hex');
  return new SipRequest({
    method: 'OPTIONS',
    uri: `sip:sipp@127.0.0.1:${port}`,
    headers: [
      ['From', `<sip:phone@127.0.0.1>;tag=${tag}`],
      ['To', `<sip:sipp@127.0.0.1:${port}>`],
      ['Call-ID', `${randomBytes(8).toString('hex')}@127.0.0.1`],
      ['CSeq', '1 OPTIONS'],
      ['Max-Forwards', '70'],
    ],
  });
}


describe.each(['udp', 'tcp'] as const)('sipp interop over %s', (transport) => {
  it('we send OPTIONS, sipp answers 200', async () => {
    endpoint = new SipEndpoint({ receiveRequest: () => {} });
    await endpoint.listen(transport, '127.0.0.1');
    const sipp = await runSipp({ scenario: 'uas-options.xml', transport });
    const response = await endpoint.request(options(sipp.port), { transport, address: '127.0.0.1', port: sipp.port });
    expect(response.status).toBe(200);
    expect(response.get('Allow')).toContain('INVITE');
    const { code, output } = await sipp.done;
    expect(code, output).toBe(0);
  });

  it('sipp sends MESSAGE (retransmitting over UDP), we answer once after a second', async () => {
    const seen: SipRequest[] = [];
    endpoint = new SipEndpoint({
      receiveRequest: (request: SipRequest, transaction: ServerTransaction) => {
        seen.push(request);
        setTimeout(() => transaction.respond(createResponse(request, 200)), 1000);
      },
    });
    const point = await endpoint.listen(transport, '127.0.0.1');
    const sipp = await runSipp({ scenario: 'uac-message.xml', transport, target: `127.0.0.1:${point.port}` });
    const { code, output } = await sipp.done;
    expect(code, output).toBe(0);
    // Retransmissions were absorbed by the server transaction (§17.2.2): the TU saw one request.
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('MESSAGE');
    expect(seen[0]!.bodyText).toContain('hello from sipp');
  });
});

describe('sipp interop over udp: our retransmissions', () => {
  it('sipp answers late; meanwhile we retransmit per Timer E', async () => {
    const sent: number[] = [];
    endpoint = new SipEndpoint({
      receiveRequest: () => {},
      onSipLog: (entry) => {
        if (entry.direction === 'out' && entry.firstLine.startsWith('OPTIONS')) sent.push(Date.now());
      },
    });
    await endpoint.listen('udp', '127.0.0.1');
    const sipp = await runSipp({ scenario: 'uas-options-late.xml', transport: 'udp' });
    const started = Date.now();
    const response = await endpoint.request(options(sipp.port), { transport: 'udp', address: '127.0.0.1', port: sipp.port });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1100);
    // Sent at 0, T1 = 0.5 s and 1.5 s (§17.1.2.2: the interval doubles).
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(450);
    const { code, output } = await sipp.done;
    expect(code, output).toBe(0);
  });
});
