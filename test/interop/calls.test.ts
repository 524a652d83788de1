/**
 * Calls through the lab: our user agent (registered as eve through Kamailio, which is also its
 * outbound proxy) calls baresip bob and is called by him: answer, BYE from either side, CANCEL
 * while ringing, 486, and hold/resume by re-INVITE from each side. RTP ports are real sockets
 * so the offers are honest; audio itself is the media layer's business.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SessionDescriptionState, type NegotiatedAudio } from '../../main/core/media/sdp/index.js';
import { DigestClient } from '../../main/core/sip/auth/index.js';
import { ServerLocator, StubDnsResolver } from '../../main/core/sip/locator/index.js';
import { SipRequest } from '../../main/core/sip/messages/index.js';
import { SipEndpoint } from '../../main/core/sip/sip-endpoint.js';
import {
  SessionState,
  UserAgentCore,
  type InviteServerSession,
  type InviteSession,
  type TerminationInfo,
} from '../../main/core/sip/user-agent/index.js';
import { startBaresip, type Baresip } from './lab/baresip.js';
import { startKamailio, type Kamailio } from './lab/kamailio.js';
import { runSipp } from './sipp.js';

let kamailio: Kamailio;
let bob: Baresip;
let endpoint: SipEndpoint;
let ua: UserAgentCore;
const rtpSockets: Socket[] = [];
const incoming: InviteServerSession[] = [];
const incomingWaiters: ((session: InviteServerSession) => void)[] = [];

const digest = new DigestClient({ credentials: () => ({ username: 'eve', password: 'evepass' }) });

/** A real UDP socket for RTP, so the port we offer is ours. */
async function rtpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  rtpSockets.push(socket);
  return socket.address().port;
}

async function sessionDescription(): Promise<SessionDescriptionState> {
  return new SessionDescriptionState({
    address: '127.0.0.1',
    audio: {
      port: await rtpPort(),
      codecs: [
        { name: 'PCMU', clockRate: 8000, channels: 1, payloadType: 0 },
        { name: 'telephone-event', clockRate: 8000, channels: 1, payloadType: 101 },
      ],
      direction: 'sendrecv',
      profile: 'RTP/AVP',
    },
  });
}

/** What a session told its owner, with waits for the next of each. */
function observe(session: InviteSession) {
  const media: NegotiatedAudio[] = [];
  const states: SessionState[] = [];
  let ended: ((info: TerminationInfo) => void) | undefined;
  const terminated = new Promise<TerminationInfo>((resolve) => (ended = resolve));
  let mediaWaiter: ((m: NegotiatedAudio) => void) | undefined;
  session.delegate = {
    onStateChange: (state) => states.push(state),
    onSessionDescription: (m) => {
      media.push(m);
      mediaWaiter?.(m);
    },
    onTerminated: (info) => ended?.(info),
  };
  return {
    media,
    states,
    terminated,
    nextMedia: () => new Promise<NegotiatedAudio>((resolve) => (mediaWaiter = resolve)),
  };
}

function nextIncoming(): Promise<InviteServerSession> {
  const ready = incoming.shift();
  if (ready !== undefined) return Promise.resolve(ready);
  return new Promise((resolve) => incomingWaiters.push(resolve));
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A REGISTER made by hand (the registration client is another module's), answered with digest. */
async function register(port: number): Promise<void> {
  const callId = randomBytes(8).toString('hex');
  const tag = randomBytes(4).toString('hex');
  const build = (cseq: number, credentials: readonly { name: string; value: string }[]) =>
    new SipRequest({
      method: 'REGISTER',
      uri: 'sip:lab.test',
      headers: [
        ['Route', `<${kamailio.proxyUri('udp')};lr>`],
        ['Max-Forwards', '70'],
        ['From', `<sip:eve@lab.test>;tag=${tag}`],
        ['To', '<sip:eve@lab.test>'],
        ['Call-ID', callId],
        ['CSeq', `${cseq} REGISTER`],
        ['Contact', `<sip:eve@127.0.0.1:${port}>`],
        ['Expires', '300'],
        ...credentials.map((c): [string, string] => [c.name, c.value]),
      ],
    });
  const first = build(1, []);
  const challenge = await endpoint.send(first);
  expect(challenge.status).toBe(401);
  const outcome = digest.handleChallenge(challenge, { method: 'REGISTER', uri: 'sip:lab.test' }, []);
  if (outcome.kind !== 'retry') throw new Error(`cannot answer the challenge: ${outcome.kind}`);
  const ok = await endpoint.send(build(2, outcome.fields));
  expect(ok.status).toBe(200);
}

beforeAll(async () => {
  kamailio = await startKamailio();
  bob = await startBaresip({ user: 'bob', kamailio, answerMode: 'auto' });
  // The endpoint is made first (its delegate forwards to the core made once the port is known).
  endpoint = new SipEndpoint(
    { receiveRequest: (r, t) => ua.receiveRequest(r, t), receiveAck: (a) => ua.receiveAck(a), receiveStrayResponse: (r) => ua.receiveStrayResponse(r) },
    { locator: new ServerLocator({ resolver: new StubDnsResolver({}), transports: ['udp'] }) },
  );
  const point = await endpoint.listen('udp', '127.0.0.1');
  ua = new UserAgentCore({
    contact: `<sip:eve@127.0.0.1:${point.port}>`,
    from: '"Eve" <sip:eve@lab.test>',
    routeSet: [`<${kamailio.proxyUri('udp')};lr>`],
    digest,
    userAgent: 'softphone-interop',
    onIncomingCall: (session) => {
      const waiter = incomingWaiters.shift();
      if (waiter !== undefined) waiter(session);
      else incoming.push(session);
    },
  });
  ua.attach(endpoint);
  await register(point.port);
}, 40_000);

afterAll(async () => {
  await endpoint?.close();
  for (const socket of rtpSockets) socket.close();
  await bob?.stop();
  await kamailio?.stop();
});

afterEach(async () => {
  await bob.ctrl.command('answermode', 'auto', { allowFailure: true });
  bob.ctrl.clearEvents();
  incoming.length = 0;
});

describe('calls through Kamailio with baresip bob', () => {
  it('we call bob, he answers; we hang up', async () => {
    const session = ua.invite({ target: 'sip:bob@lab.test', sdp: await sessionDescription() });
    const seen = observe(session);
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await until(() => session.state === SessionState.Established);
    expect(seen.media.at(-1)?.codec.name).toBe('PCMU');
    expect(seen.media.at(-1)?.direction).toBe('sendrecv');
    session.bye();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    expect(await seen.terminated).toMatchObject({ by: 'local' });
    expect(ua.dialogCount).toBe(0);
  }, 20_000);

  it('we call bob; bob hangs up', async () => {
    const session = ua.invite({ target: 'sip:bob@lab.test', sdp: await sessionDescription() });
    const seen = observe(session);
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await until(() => session.state === SessionState.Established);
    await bob.ctrl.command('hangup');
    expect(await seen.terminated).toMatchObject({ by: 'remote' });
  }, 20_000);

  it('bob calls us, we ring and answer; bob hangs up', async () => {
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const session = await nextIncoming();
    const seen = observe(session);
    expect(session.remoteIdentity.uri).toContain('bob@lab.test');
    session.ring();
    await bob.ctrl.waitForEvent('CALL_RINGING', { timeoutMs: 5000 });
    const media = session.answer(await sessionDescription());
    expect(media?.codec.name).toBe('PCMU');
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 5000 });
    await until(() => session.state === SessionState.Established);
    await bob.ctrl.command('hangup');
    expect(await seen.terminated).toMatchObject({ by: 'remote' });
  }, 20_000);

  it('bob calls us, we answer and hang up', async () => {
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const session = await nextIncoming();
    const seen = observe(session);
    session.answer(await sessionDescription());
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 5000 });
    await until(() => session.state === SessionState.Established);
    session.bye();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    expect(await seen.terminated).toMatchObject({ by: 'local' });
  }, 20_000);

  it('we cancel while bob rings', async () => {
    await bob.ctrl.command('answermode', 'manual');
    const session = ua.invite({ target: 'sip:bob@lab.test', sdp: await sessionDescription() });
    const seen = observe(session);
    await bob.ctrl.waitForEvent('CALL_INCOMING', { timeoutMs: 8000 });
    await until(() => session.state === SessionState.Proceeding || session.state === SessionState.EarlyMedia);
    session.cancel();
    expect(await seen.terminated).toMatchObject({ by: 'local', code: 487 });
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
  }, 20_000);

  it('bob calls us and we reject with 486; bob sees it', async () => {
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const session = await nextIncoming();
    const seen = observe(session);
    session.reject(486);
    expect(await seen.terminated).toMatchObject({ by: 'local', code: 486 });
    const closed = await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    expect(closed.param ?? '').toContain('486');
  }, 20_000);

  it('bob cancels while we ring', async () => {
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const session = await nextIncoming();
    const seen = observe(session);
    session.ring();
    await bob.ctrl.waitForEvent('CALL_RINGING', { timeoutMs: 5000 });
    await bob.ctrl.command('hangup');
    expect(await seen.terminated).toMatchObject({ by: 'remote', code: 487 });
  }, 20_000);

  it('we hold and resume bob by re-INVITE', async () => {
    const session = ua.invite({ target: 'sip:bob@lab.test', sdp: await sessionDescription() });
    const seen = observe(session);
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 8000 });
    await until(() => session.state === SessionState.Established);
    let next = seen.nextMedia();
    await session.hold();
    expect((await next).direction).toBe('sendonly');
    next = seen.nextMedia();
    await session.resume();
    expect((await next).direction).toBe('sendrecv');
    session.bye();
    await seen.terminated;
  }, 20_000);

  it('bob holds and resumes us by re-INVITE', async () => {
    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const session = await nextIncoming();
    const seen = observe(session);
    session.answer(await sessionDescription());
    await bob.ctrl.waitForEvent('CALL_ESTABLISHED', { timeoutMs: 5000 });
    await until(() => session.state === SessionState.Established);
    let next = seen.nextMedia();
    await bob.ctrl.command('hold');
    const held = await next;
    expect(held.remoteHold).toBe(true);
    expect(held.direction).toBe('recvonly');
    next = seen.nextMedia();
    await bob.ctrl.command('resume');
    const resumed = await next;
    expect(resumed.remoteHold).toBe(false);
    expect(resumed.direction).toBe('sendrecv');
    session.bye();
    await seen.terminated;
  }, 20_000);
});

describe('calls to sipp (UDP, no proxy)', () => {
  let direct: SipEndpoint | undefined;
  afterEach(async () => {
    await direct?.close();
    direct = undefined;
  });

  /** A second phone that calls sipp directly: no route set, no registration. */
  async function directPhone(): Promise<UserAgentCore> {
    let core: UserAgentCore | undefined = undefined;
    direct = new SipEndpoint(
      { receiveRequest: (r, t) => core?.receiveRequest(r, t), receiveAck: (a) => core?.receiveAck(a), receiveStrayResponse: (r) => core?.receiveStrayResponse(r) },
      { locator: new ServerLocator({ resolver: new StubDnsResolver({}), transports: ['udp'] }) },
    );
    const point = await direct.listen('udp', '127.0.0.1');
    core = new UserAgentCore({ contact: `<sip:eve@127.0.0.1:${point.port}>`, from: '<sip:eve@127.0.0.1>' });
    core.attach(direct);
    return core;
  }

  it('follows a 302 to the Contact with the highest q (§8.1.3.4)', async () => {
    const phone = await directPhone();
    const sipp = await runSipp({ scenario: 'uas-redirect.xml', transport: 'udp' });
    const session = phone.invite({ target: `sip:service@127.0.0.1:${sipp.port}`, sdp: await sessionDescription() });
    const seen = observe(session);
    await until(() => session.state === SessionState.Established);
    session.bye();
    await seen.terminated;
    const { code, output } = await sipp.done;
    expect(code, output).toBe(0);
  }, 20_000);

  it('PRACKs a reliable 180 (RFC 3262)', async () => {
    const phone = await directPhone();
    const sipp = await runSipp({ scenario: 'uas-prack.xml', transport: 'udp' });
    const session = phone.invite({ target: `sip:service@127.0.0.1:${sipp.port}`, sdp: await sessionDescription() });
    const seen = observe(session);
    await until(() => session.state === SessionState.Established);
    session.bye();
    await seen.terminated;
    const { code, output } = await sipp.done;
    expect(code, output).toBe(0);
  }, 20_000);

  it('forked 2xx: the second fork is ACKed and sent BYE; the first stays up (§13.2.2.4)', async () => {
    const phone = await directPhone();
    const sipp = await runSipp({ scenario: 'uas-fork.xml', transport: 'udp' });
    const session = phone.invite({ target: `sip:service@127.0.0.1:${sipp.port}`, sdp: await sessionDescription() });
    const seen = observe(session);
    await until(() => session.state === SessionState.Established);
    expect(session.dialogId?.remoteTag).toMatch(/^forkA/);
    // Give fork B's 2xx time to come, be ACKed and sent BYE, before we hang up fork A.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(session.state).toBe(SessionState.Established);
    session.bye();
    await seen.terminated;
    const { code, output } = await sipp.done;
    expect(code, output).toBe(0);
  }, 20_000);

  it('glare: answers the crossing re-INVITE 491, and retries its own after 491 within 2.1-4 s (§14.1)', async () => {
    const phone = await directPhone();
    const sipp = await runSipp({ scenario: 'uas-glare.xml', transport: 'udp' });
    const session = phone.invite({ target: `sip:service@127.0.0.1:${sipp.port}`, sdp: await sessionDescription() });
    const seen = observe(session);
    await until(() => session.state === SessionState.Established);
    const held = seen.nextMedia();
    const started = Date.now();
    await session.hold();
    expect((await held).direction).toBe('sendonly');
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    session.bye();
    await seen.terminated;
    const { code, output } = await sipp.done;
    expect(code, output).toBe(0);
  }, 20_000);
});
