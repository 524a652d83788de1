/**
 * One account's registration against a scripted registrar, on fake timers: every state, every
 * timer (refresh, RFC 5626 backoff, the bounded unregistration) at its exact time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SipRequestError } from '../../../../../main/core/sip/sip-endpoint.js';
import {
  Registration,
  RegistrationState,
  RegistrationStateError,
  legalRegistrationMoves,
  type RegistrationOptions,
  type RegistrationStatus,
} from '../../../../../main/core/sip/registration/index.js';
import { FakeRegistrar, challenge, fail, grant, silence, status } from './fake-registrar.js';

const S = RegistrationState;
let randomValue = 0;

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
  randomValue = 0;
});
afterEach(() => {
  vi.useRealTimers();
});

/** Lets the registration's promise chain (send, answer, retries) run to rest. */
const settle = () => vi.advanceTimersByTimeAsync(0);
const seconds = (s: number) => vi.advanceTimersByTimeAsync(s * 1000);

function setup(registrar = new FakeRegistrar(), overrides: Partial<RegistrationOptions> = {}) {
  const statuses: RegistrationStatus[] = [];
  const asked: string[] = [];
  let tokens = 0;
  const registration = new Registration({
    aor: 'sip:eve@lab.test',
    registrar: 'sip:lab.test',
    contact: 'sip:eve@192.0.2.4:5062',
    credentials: (realm) => {
      asked.push(realm);
      return realm === 'lab.test' ? 'evepass' : undefined;
    },
    sender: registrar,
    delegate: { onStateChange: (s) => statuses.push(s) },
    random: () => randomValue,
    newToken: () => `token${++tokens}`,
    ...overrides,
  });
  return { registration, registrar, statuses, asked, states: () => statuses.map((s) => s.state) };
}

describe('REGISTER (RFC 3261 §10.2)', () => {
  it('2xx: the request as §10.2 builds it, then registered with expiresAt', async () => {
    const { registration, registrar, statuses } = setup();
    registration.register();
    expect(registration.state).toBe(S.Registering);
    await settle();
    const request = registrar.last;
    expect(request.method).toBe('REGISTER');
    expect(request.uri.toString()).toBe('sip:lab.test;transport=udp');
    expect(request.from.uri.toString()).toBe('sip:eve@lab.test');
    expect(request.from.tag).toBe('token2');
    expect(request.to.uri.toString()).toBe('sip:eve@lab.test');
    expect(request.to.tag).toBeUndefined();
    expect(request.callId).toBe('token1');
    expect(request.cseq.seq).toBe(1);
    expect(request.cseq.method).toBe('REGISTER');
    expect(request.maxForwards).toBe(70);
    expect(request.get('Contact')).toBe('<sip:eve@192.0.2.4:5062>;expires=600');
    expect(request.expires).toBe(600);
    expect(request.supported).toEqual(['path']);
    expect(request.allow).toContain('INVITE');
    expect(request.has('Route')).toBe(false);
    expect(request.has('Authorization')).toBe(false);
    expect(statuses).toEqual([
      { state: S.Registering },
      { state: S.Registered, code: 200, reason: 'OK', expiresAt: 1_000_000 + 600_000 },
    ]);
  });

  it('401 then 2xx: answered once through the DigestClient, same Call-ID, next CSeq', async () => {
    const { registration, registrar, states, asked } = setup(new FakeRegistrar().answer(challenge()));
    registration.register();
    await settle();
    expect(registrar.requests).toHaveLength(2);
    const [first, second] = registrar.requests;
    expect(second!.callId).toBe(first!.callId);
    expect(second!.cseq.seq).toBe(2);
    expect(second!.get('Authorization')).toMatch(/^Digest username="eve", realm="lab.test", nonce="n1", uri="sip:lab.test;transport=udp"/);
    expect(states()).toEqual([S.Registering, S.Registered]);
    expect(asked).toContain('lab.test');
  });

  it('407 from an outbound proxy is answered with Proxy-Authorization', async () => {
    const registrar = new FakeRegistrar().answer(status(407, [['Proxy-Authenticate', 'Digest realm="lab.test", nonce="p1", qop="auth"']]));
    const { registration, states } = setup(registrar);
    registration.register();
    await settle();
    expect(registrar.last.get('Proxy-Authorization')).toContain('nonce="p1"');
    expect(states()).toEqual([S.Registering, S.Registered]);
  });

  it('wrong password: failed with 401 "wrong password", and no retry loop', async () => {
    const { registration, registrar, statuses } = setup(new FakeRegistrar(challenge('again')).answer(challenge('n1')));
    registration.register();
    await settle();
    expect(registrar.requests).toHaveLength(2);
    expect(statuses.at(-1)).toEqual({ state: S.Failed, code: 401, reason: 'wrong password' });
    await seconds(7200);
    expect(registrar.requests).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the password is asked for each answer and never kept nor reported', async () => {
    const { registration, statuses, asked } = setup(new FakeRegistrar().answer(challenge()));
    registration.register();
    await settle();
    expect(asked.length).toBeGreaterThan(0);
    expect(JSON.stringify(statuses)).not.toContain('evepass');
    expect(JSON.stringify(Object.values(registration))).not.toContain('evepass');
  });

  it('stale nonce: answered again with the fresh nonce, still registered', async () => {
    const registrar = new FakeRegistrar().answer(challenge('n1'), challenge('n2', ', stale=true'));
    const { registration, states } = setup(registrar);
    registration.register();
    await settle();
    expect(registrar.requests.map((r) => r.cseq.seq)).toEqual([1, 2, 3]);
    expect(registrar.last.get('Authorization')).toContain('nonce="n2"');
    expect(states()).toEqual([S.Registering, S.Registered]);
  });

  it('refreshes carry credentials before being challenged (§22.3)', async () => {
    const { registration, registrar } = setup(new FakeRegistrar().answer(challenge()));
    registration.register();
    await settle();
    await seconds(568);
    expect(registrar.requests).toHaveLength(3);
    expect(registrar.last.get('Authorization')).toContain('nc=00000002');
  });

  it('423 Interval Too Brief: again with Min-Expires, kept for refreshes (§10.2.8)', async () => {
    const registrar = new FakeRegistrar().answer(status(423, [['Min-Expires', '1800']]));
    const { registration, statuses } = setup(registrar);
    registration.register();
    await settle();
    expect(registrar.requests.map((r) => r.expires)).toEqual([600, 1800]);
    expect(registrar.last.get('Contact')).toBe('<sip:eve@192.0.2.4:5062>;expires=1800');
    expect(statuses.at(-1)?.expiresAt).toBe(1_000_000 + 1_800_000);
    await seconds(1800 - 32);
    expect(registrar.requests).toHaveLength(3);
    expect(registrar.last.expires).toBe(1800);
  });

  it('423 without a larger Min-Expires is a failure, not a loop', async () => {
    const registrar = new FakeRegistrar().answer(status(423, [['Min-Expires', '60']]));
    const { registration, statuses } = setup(registrar);
    registration.register();
    await settle();
    expect(registrar.requests).toHaveLength(1);
    expect(statuses.at(-1)).toMatchObject({ state: S.Failed, code: 423 });
  });
});

describe('granted expiry and Service-Route', () => {
  it('our Contact in the 2xx wins over Expires (§10.2.4)', async () => {
    const registrar = new FakeRegistrar().answer((request) =>
      status(200, [
        ['Contact', '<sip:eve@198.51.100.7:5060>;expires=3000'],
        ['Contact', '<sip:eve@192.0.2.4:5062>;expires=300'],
        ['Expires', '1200'],
      ])(request),
    );
    const { registration, statuses } = setup(registrar);
    registration.register();
    await settle();
    expect(statuses.at(-1)?.expiresAt).toBe(1_000_000 + 300_000);
  });

  it('else the Expires header, else what was asked', async () => {
    const viaExpires = setup(new FakeRegistrar(status(200, [['Expires', '1200']])));
    viaExpires.registration.register();
    await settle();
    expect(viaExpires.statuses.at(-1)?.expiresAt).toBe(1_000_000 + 1_200_000);
    const bare = setup(new FakeRegistrar(status(200)));
    bare.registration.register();
    await settle();
    expect(bare.statuses.at(-1)?.expiresAt).toBe(1_000_000 + 600_000);
  });

  it('stores Service-Route (RFC 3608) and puts the outbound proxy first in the route set', async () => {
    const registrar = new FakeRegistrar(grant(undefined, [['Service-Route', '<sip:orig@scscf.lab.test;lr>, <sip:edge.lab.test;lr>']]));
    const { registration } = setup(registrar, { outboundProxy: 'sip:proxy.lab.test' });
    registration.register();
    await settle();
    expect(registrar.last.get('Route')).toBe('<sip:proxy.lab.test;transport=udp;lr>');
    expect(registrar.last.uri.toString()).toBe('sip:lab.test');
    expect(registration.serviceRoute.map(String)).toEqual(['<sip:orig@scscf.lab.test;lr>', '<sip:edge.lab.test;lr>']);
    expect(registration.routeSet.map(String)).toEqual(['<sip:proxy.lab.test;transport=udp;lr>', '<sip:orig@scscf.lab.test;lr>', '<sip:edge.lab.test;lr>']);
  });

  it('pins TCP on the Request-URI, keeps a sips registrar as it is', () => {
    const tcp = setup(new FakeRegistrar(), { transport: 'tcp', contact: 'sip:eve@192.0.2.4:5062;transport=tcp' });
    tcp.registration.register();
    expect(tcp.registrar.last.uri.toString()).toBe('sip:lab.test;transport=tcp');
    const tls = setup(new FakeRegistrar(), { registrar: 'sips:lab.test' });
    tls.registration.register();
    expect(tls.registrar.last.uri.toString()).toBe('sips:lab.test');
    expect(() => setup(new FakeRegistrar(), { registrar: 'sip:lab.test;transport=tcp', transport: 'udp' })).toThrow(RangeError);
  });
});

describe('refresh timing', () => {
  it('refreshes at granted − min(granted/2, 32 s): 568 s of 600', async () => {
    const { registration, registrar, states } = setup();
    registration.register();
    await settle();
    await vi.advanceTimersByTimeAsync(567_999);
    expect(registrar.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(registrar.requests).toHaveLength(2);
    expect(registrar.last.cseq.seq).toBe(2);
    expect(registrar.last.callId).toBe(registrar.requests[0]!.callId);
    // A refresh keeps "registered"; its 2xx moves expiresAt on.
    expect(states()).toEqual([S.Registering, S.Registered, S.Registered]);
    expect(registration.status.expiresAt).toBe(1_000_000 + 568_000 + 600_000);
  });

  it('a short grant refreshes halfway: 20 s of 40', async () => {
    const { registration, registrar } = setup(new FakeRegistrar(grant(40)));
    registration.register();
    await settle();
    await seconds(19.999);
    expect(registrar.requests).toHaveLength(1);
    await seconds(0.001);
    expect(registrar.requests).toHaveLength(2);
  });

  it('a failed refresh reports failed and backs off', async () => {
    const { registration, registrar, statuses } = setup(new FakeRegistrar().answer(grant(), status(500)));
    registration.register();
    await settle();
    await seconds(568);
    expect(statuses.at(-1)).toEqual({ state: S.Failed, code: 500, reason: 'Server Internal Error' });
    expect(registration.serviceRoute).toEqual([]);
    await seconds(30);
    expect(registrar.requests).toHaveLength(3);
  });
});

describe('failures and RFC 5626 §4.5 backoff', () => {
  it('5xx: retries after 50–100 % of min(1800, 30·2^n) s, the bounds exact', async () => {
    const registrar = new FakeRegistrar(status(503));
    const { registration, statuses } = setup(registrar);
    randomValue = 0;
    registration.register();
    await settle();
    expect(statuses.at(-1)).toEqual({ state: S.Failed, code: 503, reason: 'Service Unavailable' });
    // 1st failure, random 0: 50 % of 30·2 = 30 s.
    randomValue = 0.5;
    await seconds(29.999);
    expect(registrar.requests).toHaveLength(1);
    await seconds(0.001);
    expect(registrar.requests).toHaveLength(2);
    expect(registration.state).toBe(S.Failed);
    // 2nd failure, random 0.5: 75 % of 30·4 = 90 s.
    randomValue = 0.999999;
    await seconds(89.999);
    expect(registrar.requests).toHaveLength(2);
    await seconds(0.001);
    expect(registrar.requests).toHaveLength(3);
    // 3rd failure, random just under 1: just under 100 % of 30·8 = 240 s.
    await seconds(239.99);
    expect(registrar.requests).toHaveLength(3);
    await seconds(0.01);
    expect(registrar.requests).toHaveLength(4);
  });

  it('the top of the range: random just under 1 waits just under 100 %', async () => {
    randomValue = 0.999999;
    const registrar = new FakeRegistrar(status(500));
    const { registration } = setup(registrar);
    registration.register();
    await settle();
    await seconds(59.99);
    expect(registrar.requests).toHaveLength(1);
    await seconds(0.01);
    expect(registrar.requests).toHaveLength(2);
  });

  it('caps at max-time and honours configured base/max', async () => {
    const registrar = new FakeRegistrar(status(500));
    const { registration } = setup(registrar, { flowRecovery: { baseTimeSeconds: 10, maxTimeSeconds: 25 } });
    registration.register();
    await settle();
    // 1st: min(25, 20) · 0.5 = 10 s; 2nd: min(25, 40) · 0.5 = 12.5 s; 3rd: 12.5 s again.
    await seconds(10);
    expect(registrar.requests).toHaveLength(2);
    await seconds(12.5);
    expect(registrar.requests).toHaveLength(3);
    await seconds(12.5);
    expect(registrar.requests).toHaveLength(4);
  });

  it('a 2xx resets the failure count', async () => {
    const registrar = new FakeRegistrar().answer(status(500), grant(100), status(500));
    const { registration } = setup(registrar);
    registration.register();
    await settle();
    await seconds(30);
    expect(registration.state).toBe(S.Registered);
    await seconds(68); // refresh of a 100 s grant
    expect(registration.state).toBe(S.Failed);
    await seconds(30); // back to the first step
    expect(registrar.requests).toHaveLength(4);
  });

  it('timeout: failed 408 and retried; transport error: 503 (§8.1.3.1)', async () => {
    const registrar = new FakeRegistrar().answer(
      fail(new SipRequestError('timeout', 'REGISTER: no final response (Timer B/F)')),
      fail(new SipRequestError('transport', 'REGISTER: connect ECONNREFUSED')),
    );
    const { registration, statuses } = setup(registrar);
    registration.register();
    await settle();
    expect(statuses.at(-1)).toEqual({ state: S.Failed, code: 408, reason: 'no answer from the registrar' });
    await seconds(30);
    expect(statuses.at(-1)).toEqual({ state: S.Failed, code: 503, reason: 'REGISTER: connect ECONNREFUSED' });
    await seconds(60);
    expect(registration.state).toBe(S.Registered);
  });

  it.each([403, 404])('%i is permanent: no timer until the user or the network acts', async (code) => {
    const registrar = new FakeRegistrar().answer(status(code));
    const { registration, statuses } = setup(registrar);
    registration.register();
    await settle();
    expect(statuses.at(-1)).toMatchObject({ state: S.Failed, code });
    expect(vi.getTimerCount()).toBe(0);
    registration.register();
    await settle();
    expect(registration.state).toBe(S.Registered);
  });

  it('a challenge for a realm we have no password for is permanent', async () => {
    const registrar = new FakeRegistrar().answer(status(401, [['WWW-Authenticate', 'Digest realm="other", nonce="x", qop="auth"']]));
    const { registration, statuses } = setup(registrar);
    registration.register();
    await settle();
    expect(statuses.at(-1)).toEqual({ state: S.Failed, code: 401, reason: 'no credentials for realm other' });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('unregister (§10.2.2)', () => {
  it('REGISTER with our Contact expires=0, then unregistered, no timer left', async () => {
    const { registration, registrar, states } = setup();
    registration.register();
    await settle();
    const done = registration.unregister();
    expect(registration.state).toBe(S.Unregistering);
    await done;
    const request = registrar.last;
    expect(request.get('Contact')).toBe('<sip:eve@192.0.2.4:5062>;expires=0');
    expect(request.expires).toBe(0);
    expect(request.cseq.seq).toBe(2);
    expect(request.callId).toBe(registrar.requests[0]!.callId);
    expect(states()).toEqual([S.Registering, S.Registered, S.Unregistering, S.Unregistered]);
    expect(registration.routeSet).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits at most 3 s for the registrar', async () => {
    const { registration, statuses } = setup(new FakeRegistrar().answer(grant(), silence));
    registration.register();
    await settle();
    let done = false;
    void registration.unregister().then(() => (done = true));
    await seconds(2.999);
    expect(done).toBe(false);
    await seconds(0.001);
    expect(done).toBe(true);
    expect(statuses.at(-1)).toEqual({ state: S.Unregistered, code: 408, reason: 'no answer to the unregistration' });
  });

  it('while registering: the late 2xx of the REGISTER is ignored', async () => {
    const { registration, registrar, states } = setup(new FakeRegistrar().answer(silence));
    registration.register();
    await settle();
    await registration.unregister();
    expect(registrar.requests.map((r) => r.expires)).toEqual([600, 0]);
    expect(states()).toEqual([S.Registering, S.Unregistering, S.Unregistered]);
  });

  it('from failed with no binding left: unregistered at once, nothing sent', async () => {
    const { registration, registrar, states } = setup(new FakeRegistrar(status(500)));
    registration.register();
    await settle();
    await registration.unregister();
    expect(registrar.requests).toHaveLength(1);
    expect(states()).toEqual([S.Registering, S.Failed, S.Unregistered]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('from failed while the last binding still holds: the removal is sent', async () => {
    const { registration, registrar, states } = setup(new FakeRegistrar().answer(grant(), status(500)));
    registration.register();
    await settle();
    await seconds(568);
    expect(registration.state).toBe(S.Failed);
    await registration.unregister();
    expect(registrar.requests.map((r) => r.expires)).toEqual([600, 600, 0]);
    expect(states().slice(-3)).toEqual([S.Failed, S.Unregistering, S.Unregistered]);
  });

  it('register() during unregistering registers again afterwards', async () => {
    const { registration, registrar, states } = setup();
    registration.register();
    await settle();
    const done = registration.unregister();
    registration.register();
    await done;
    await settle();
    expect(registrar.requests.map((r) => r.expires)).toEqual([600, 0, 600]);
    expect(states()).toEqual([S.Registering, S.Registered, S.Unregistering, S.Unregistered, S.Registering, S.Registered]);
  });
});

describe('network changes and flow failures', () => {
  it('networkChanged(): registers again at once and resets the backoff', async () => {
    const registrar = new FakeRegistrar().answer(status(500), status(500));
    const { registration, states } = setup(registrar);
    registration.register();
    await settle();
    await seconds(30);
    expect(registrar.requests).toHaveLength(2);
    registration.networkChanged();
    await settle();
    expect(registrar.requests).toHaveLength(3);
    expect(registration.state).toBe(S.Registered);
    expect(states().slice(-2)).toEqual([S.Registering, S.Registered]);
  });

  it('networkChanged() lifts a permanent failure and re-registers a registered account', async () => {
    const registrar = new FakeRegistrar().answer(status(403));
    const { registration } = setup(registrar);
    registration.register();
    await settle();
    registration.networkChanged();
    await settle();
    expect(registration.state).toBe(S.Registered);
    registration.networkChanged();
    await settle();
    expect(registrar.requests).toHaveLength(3);
    expect(registrar.requests.map((r) => r.cseq.seq)).toEqual([1, 2, 3]);
  });

  it('networkChanged() does nothing for an account not asked to register', () => {
    const { registration, registrar, statuses } = setup();
    registration.networkChanged();
    expect(registrar.requests).toHaveLength(0);
    expect(statuses).toEqual([]);
  });

  it('flowFailed(): failed, then a new REGISTER after the backoff (RFC 5626 §4.4.1, §4.5)', async () => {
    const { registration, registrar, statuses } = setup();
    registration.register();
    await settle();
    randomValue = 0.5;
    registration.flowFailed();
    expect(statuses.at(-1)).toEqual({ state: S.Failed, reason: 'the connection to the registrar failed' });
    // 75 % of 30·2 s.
    await seconds(44.999);
    expect(registrar.requests).toHaveLength(1);
    await seconds(0.001);
    expect(registrar.requests).toHaveLength(2);
    expect(registration.state).toBe(S.Registered);
  });
});

describe('state machine', () => {
  it('refuses moves the diagram does not have', () => {
    expect(legalRegistrationMoves[S.Unregistered]).toEqual([S.Registering]);
    expect(legalRegistrationMoves[S.Unregistering]).toEqual([S.Unregistered]);
    expect(legalRegistrationMoves[S.Registering]).not.toContain(S.Unregistered);
    const { registration } = setup();
    const internals = registration as unknown as { stateTransition(to: RegistrationState): void };
    expect(() => internals.stateTransition(S.Registered)).toThrow(RegistrationStateError);
    expect(() => internals.stateTransition(S.Unregistering)).toThrow('illegal state transition from unregistered to unregistering');
    expect(registration.state).toBe(S.Unregistered);
    registration.dispose();
    expect(() => registration.register()).toThrow(RegistrationStateError);
  });

  it('dispose() stops every timer and ignores answers still coming', async () => {
    const { registration, registrar, statuses } = setup(new FakeRegistrar(status(500)));
    registration.register();
    await settle();
    registration.dispose();
    expect(vi.getTimerCount()).toBe(0);
    await seconds(3600);
    expect(registrar.requests).toHaveLength(1);
    expect(statuses.map((s) => s.state)).toEqual([S.Registering, S.Failed]);
  });

  it('several registrations are independent: own Call-ID, own timers', async () => {
    const a = setup(new FakeRegistrar(status(500)), { newToken: () => 'a' + Math.random() });
    const b = setup(new FakeRegistrar(), { aor: 'sip:dave@lab.test', newToken: () => 'b' + Math.random() });
    a.registration.register();
    b.registration.register();
    await settle();
    expect(a.registrar.last.callId).not.toBe(b.registrar.last.callId);
    expect(a.registration.state).toBe(S.Failed);
    expect(b.registration.state).toBe(S.Registered);
    await seconds(568);
    expect(a.registrar.requests.length).toBeGreaterThan(1);
    expect(b.registrar.requests).toHaveLength(2);
    expect(b.registration.state).toBe(S.Registered);
  });
});
