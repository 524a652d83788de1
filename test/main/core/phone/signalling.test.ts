/**
 * The core on the wire before the user agent: it listens where the config says, answers
 * OPTIONS (§11.2), 404 to requests for nobody and 481 outside its dialogs, refuses malformed input with 400, and tells the
 * UI about every message through `log.sip` — credentials redacted, reasons given.
 */
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { SipLogEntry } from '../../../../shared/model.js';
import { testCore } from '../../../helpers/core.js';

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

async function phoneOnUdp() {
  const { core } = await testCore({ config: { accounts: [], sip: { listen: [{ transport: 'udp', address: '127.0.0.1', port: 0 }] } } });
  const log: SipLogEntry[] = [];
  core.subscribe((name, payload) => {
    if (name === 'log.sip') log.push(payload as SipLogEntry);
  });
  const port = core.signalling.endpoint.transport.listeningPoints()[0]!.port;
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const exchange = (text: string) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer')), 3000);
      socket.once('message', (data) => {
        clearTimeout(timer);
        resolve(data.toString());
      });
      socket.send(text, port, '127.0.0.1');
    });
  return { core, log, exchange, clientPort: socket.address().port };
}

function request(method: string, clientPort: number, extra: string[] = [], cseqMethod = method): string {
  return [
    `${method} sip:phone@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${clientPort};branch=z9hG4bK${Math.random().toString(36).slice(2)}`,
    'From: <sip:tester@127.0.0.1>;tag=t1',
    'To: <sip:phone@127.0.0.1>',
    `Call-ID: ${Math.random().toString(36).slice(2)}@test`,
    `CSeq: 1 ${cseqMethod}`,
    'Max-Forwards: 70',
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('core signalling', () => {
  it('answers OPTIONS with Allow and logs both messages, credentials redacted', async () => {
    const { log, exchange, clientPort } = await phoneOnUdp();
    const answer = await exchange(request('OPTIONS', clientPort, ['Authorization: Digest username="alice", response="deadbeefcafe"']));
    expect(answer).toMatch(/^SIP\/2\.0 200 /);
    expect(answer).toMatch(/\r\nAllow: INVITE, ACK, CANCEL, BYE, OPTIONS/);
    expect(answer).toMatch(/\r\nTo: <sip:phone@127\.0\.0\.1>;tag=\w+/);
    await expect.poll(() => log.length).toBe(2);
    expect(log.map((e) => [e.direction, e.firstLine.split(' ')[0]])).toEqual([
      ['in', 'OPTIONS'],
      ['out', 'SIP/2.0'],
    ]);
    expect(log[0]!.text).not.toContain('deadbeefcafe');
    expect(log[0]!.callId).toMatch(/@test$/);
    expect(log[1]!.seq).toBe(log[0]!.seq + 1);
    expect(log[0]!.remote).toBe(`127.0.0.1:${clientPort}`);
  });

  it('answers 404 to a request for nobody, and 481 to one in a dialog it does not have', async () => {
    const { exchange, clientPort } = await phoneOnUdp();
    expect(await exchange(request('SUBSCRIBE', clientPort, ['Event: presence']))).toMatch(/^SIP\/2\.0 404 /);
    expect(await exchange(request('BYE', clientPort).replace('To: <sip:phone@127.0.0.1>', 'To: <sip:phone@127.0.0.1>;tag=x'))).toMatch(/^SIP\/2\.0 481 /);
  });

  it('refuses a malformed request with 400 and its reason, counts it, and keeps working', async () => {
    const { core, log, exchange, clientPort } = await phoneOnUdp();
    const answer = await exchange(request('OPTIONS', clientPort, [], 'INVITE'));
    expect(answer).toMatch(/^SIP\/2\.0 400 \S/);
    await expect.poll(() => log.some((e) => e.direction === 'in' && e.error !== undefined)).toBe(true);
    expect(log.find((e) => e.error !== undefined)!.error!.length).toBeGreaterThan(3);
    expect(core.signalling.malformedCount).toBe(1);
    expect(await exchange(request('OPTIONS', clientPort))).toMatch(/^SIP\/2\.0 200 /);
  });
});
