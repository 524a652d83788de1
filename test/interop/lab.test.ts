/**
 * Smoke test of the interop lab: real Kamailio + two baresip phones on loopback. Proves that
 * registration (UDP, TCP), a proxied call with two-way audio (checked by tone analysis of what
 * each side recorded), and the SHA-256 digest option work. A missing binary fails loudly.
 */
import { createHash } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseTone } from './lab/audio.js';
import { startBaresip, type Baresip, type BaresipOptions } from './lab/baresip.js';
import { startKamailio, type Kamailio } from './lab/kamailio.js';
import { sleep } from './lab/process.js';

describe('interop lab: kamailio + baresip', () => {
  let kamailio: Kamailio;
  let alice: Baresip;
  let bob: Baresip;
  let carol: Baresip;
  let dave: Baresip;
  const started: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    kamailio = await startKamailio();
    started.push(kamailio);
    const phones = await Promise.allSettled(
      ([
        { user: 'alice', kamailio, toneHz: 440, answerMode: 'manual' },
        { user: 'bob', kamailio, toneHz: 1000, answerMode: 'auto' },
        { user: 'carol', kamailio, toneHz: 1500, transport: 'tcp' },
        { user: 'dave', kamailio, toneHz: 2000, transport: 'tls' },
      ] satisfies BaresipOptions[]).map((o) => startBaresip(o)),
    );
    for (const p of phones) if (p.status === 'fulfilled') started.unshift(p.value); // phones stop before kamailio
    const failed = phones.find((p) => p.status === 'rejected');
    if (failed) throw failed.reason;
    [alice, bob, carol, dave] = phones.map((p) => (p as PromiseFulfilledResult<Baresip>).value) as [Baresip, Baresip, Baresip, Baresip];
  }, 30_000);

  afterAll(async () => {
    for (const s of started) await s.stop().catch((error: unknown) => console.error('lab stop:', error));
  }, 20_000);

  it('has alice and bob registered over UDP, carol over TCP, dave over TLS', async () => {
    const registrations = await kamailio.dumpRegistrations();
    const socketOf = (aor: string): string | undefined => registrations.find((r) => r.aor === aor)?.contacts[0]?.socket;
    expect(socketOf('alice')).toBe(`udp:127.0.0.1:${kamailio.udpPort}`);
    expect(socketOf('bob')).toBe(`udp:127.0.0.1:${kamailio.udpPort}`);
    expect(socketOf('carol')).toBe(`tcp:127.0.0.1:${kamailio.tcpPort}`);
    expect(registrations.find((r) => r.aor === 'carol')?.contacts[0]?.address).toMatch(/;transport=tcp/);
    expect(carol.transport).toBe('tcp');
    expect(socketOf('dave')).toBe(`tls:127.0.0.1:${kamailio.tlsPort}`);
    expect(dave.transport).toBe('tls');
  });

  it('calls alice → bob through kamailio with two-way audio', async () => {
    await alice.ctrl.command('dial', bob.uri);
    const [aliceUp, bobUp] = await Promise.all([
      alice.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 5000 }),
      bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 5000 }),
    ]);
    expect(aliceUp.direction).toBe('outgoing');
    expect(bobUp.direction).toBe('incoming');
    expect(bobUp.peeruri).toContain('alice@lab.test');

    await sleep(3000); // let audio flow

    await alice.ctrl.command('hangup');
    await Promise.all([alice.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 }), bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 })]);
    await sleep(200); // sndfile finalises the WAV as the call's audio is torn down

    const heardBy = (phone: Baresip): string => {
      const files = phone.recordings();
      expect(files, `${phone.user} recorded nothing`).not.toHaveLength(0);
      return files[files.length - 1] as string;
    };
    const aliceHeard = heardBy(alice);
    const bobHeard = heardBy(bob);

    const aliceGotBob = analyseTone(aliceHeard, 1000);
    const aliceGotOwn = analyseTone(aliceHeard, 440);
    const bobGotAlice = analyseTone(bobHeard, 440);
    const bobGotOwn = analyseTone(bobHeard, 1000);
    const summary = JSON.stringify({ aliceGotBob, aliceGotOwn, bobGotAlice, bobGotOwn });

    expect(aliceGotBob.durationSeconds, summary).toBeGreaterThan(2);
    expect(aliceGotBob.level, summary).toBeGreaterThan(-30);
    expect(aliceGotBob.presence, summary).toBeGreaterThan(0.8);
    expect(aliceGotOwn.presence, summary).toBeLessThan(0.05);
    expect(bobGotAlice.durationSeconds, summary).toBeGreaterThan(2);
    expect(bobGotAlice.level, summary).toBeGreaterThan(-30);
    expect(bobGotAlice.presence, summary).toBeGreaterThan(0.8);
    expect(bobGotOwn.presence, summary).toBeLessThan(0.05);
  }, 20_000);

  it('challenges with SHA-256 when asked and accepts a SHA-256 digest', async () => {
    const sha = await startKamailio({ digestAlgorithm: 'SHA-256' });
    try {
      const socket = createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
      try {
        const port = socket.address().port;
        const exchange = (request: string): Promise<string> =>
          new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no answer from kamailio in 3 s')), 3000);
            socket.once('message', (m) => {
              clearTimeout(timer);
              resolve(m.toString('utf8'));
            });
            socket.send(request, sha.udpPort, '127.0.0.1');
          });
        const register = (cseq: number, authorization?: string): string =>
          [
            'REGISTER sip:lab.test SIP/2.0',
            `Via: SIP/2.0/UDP 127.0.0.1:${port};rport;branch=z9hG4bK-lab-${cseq}-${Date.now()}`,
            'Max-Forwards: 70',
            'From: <sip:eve@lab.test>;tag=lab1',
            'To: <sip:eve@lab.test>',
            `Call-ID: lab-sha-${Date.now()}@127.0.0.1`,
            `CSeq: ${cseq} REGISTER`,
            `Contact: <sip:eve@127.0.0.1:${port}>`,
            'Expires: 60',
            ...(authorization ? [`Authorization: ${authorization}`] : []),
            'Content-Length: 0',
            '',
            '',
          ].join('\r\n');

        const challenge = await exchange(register(1));
        expect(challenge).toMatch(/^SIP\/2\.0 401 /);
        const wwwAuthenticate = /^WWW-Authenticate: (.*)$/im.exec(challenge)?.[1] ?? '';
        expect(wwwAuthenticate).toMatch(/algorithm=SHA-256/);
        const nonce = /nonce="([^"]+)"/.exec(wwwAuthenticate)?.[1] ?? '';
        const h = (s: string): string => createHash('sha256').update(s).digest('hex');
        const response = h(`${h('eve:lab.test:evepass')}:${nonce}:00000001:labcnonce:auth:${h('REGISTER:sip:lab.test')}`);
        const ok = await exchange(
          register(2, `Digest username="eve", realm="lab.test", nonce="${nonce}", uri="sip:lab.test", response="${response}", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="labcnonce"`),
        );
        expect(ok).toMatch(/^SIP\/2\.0 200 /);
        expect((await sha.dumpRegistrations()).map((r) => r.aor)).toContain('eve');
      } finally {
        socket.close();
      }
    } finally {
      await sha.stop();
    }
  });
});
