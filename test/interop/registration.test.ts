/**
 * Registration against a real registrar: the lab's Kamailio on loopback. A real SipEndpoint
 * (UDP and TCP on 127.0.0.1) locates lab.test through a stub DNS (SRV → the lab's port, no real
 * DNS) or goes through an outbound proxy; Kamailio's usrloc (`ul.dump`) shows what it kept.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServerLocator, StubDnsResolver } from '../../main/core/sip/locator/index.js';
import { createResponse } from '../../main/core/sip/messages/create-response.js';
import {
  Registration,
  RegistrationState,
  localContact,
  type RegistrationOptions,
  type RegistrationStatus,
} from '../../main/core/sip/registration/index.js';
import { SipEndpoint } from '../../main/core/sip/sip-endpoint.js';
import { startKamailio, type Kamailio, type LabUserName } from './lab/kamailio.js';
import { sleep } from './lab/process.js';

const S = RegistrationState;

interface Phone {
  readonly endpoint: SipEndpoint;
  /** CSeq numbers of the REGISTERs that left (retransmissions counted once). */
  readonly registers: Set<number>;
  /** The REGISTERs that left, as the SIP log shows them (credentials redacted). */
  readonly sent: string[];
}

let phone: Phone | undefined;
let registration: Registration | undefined;

afterEach(async () => {
  registration?.dispose();
  registration = undefined;
  await phone?.endpoint.close();
  phone = undefined;
});

async function startPhone(kamailio: Kamailio): Promise<Phone> {
  const resolver = new StubDnsResolver({
    SRV: {
      '_sip._udp.lab.test': [{ priority: 10, weight: 0, port: kamailio.udpPort, name: 'registrar.lab.test' }],
      '_sip._tcp.lab.test': [{ priority: 10, weight: 0, port: kamailio.tcpPort, name: 'registrar.lab.test' }],
    },
    A: { 'registrar.lab.test': ['127.0.0.1'] },
  });
  const registers = new Set<number>();
  const sent: string[] = [];
  const endpoint = new SipEndpoint(
    {
      receiveRequest: (request, transaction) => transaction.respond(createResponse(request, request.method === 'OPTIONS' ? 200 : 480)),
      onSipLog: (entry) => {
        const cseq = /^CSeq:\s*(\d+)\s+REGISTER/im.exec(entry.text);
        if (entry.direction !== 'out' || !entry.firstLine.startsWith('REGISTER ') || cseq === null) return;
        registers.add(Number(cseq[1]));
        sent.push(entry.text);
      },
    },
    { locator: new ServerLocator({ resolver, transports: ['udp', 'tcp'] }) },
  );
  await endpoint.listen('udp', '127.0.0.1');
  await endpoint.listen('tcp', '127.0.0.1');
  return { endpoint, registers, sent };
}

function register(kamailio: Kamailio, p: Phone, user: LabUserName, options: Partial<RegistrationOptions> = {}) {
  const statuses: RegistrationStatus[] = [];
  const waiters: { state: RegistrationState; resolve: (s: RegistrationStatus) => void }[] = [];
  const transport = options.transport ?? 'udp';
  const contact = localContact(p.endpoint.transport.listeningPoints(), transport, { user });
  const password = kamailio.users[user].password;
  const created = new Registration({
    aor: `sip:${user}@lab.test`,
    registrar: 'sip:lab.test',
    transport,
    contact,
    credentials: (realm) => (realm === 'lab.test' ? password : undefined),
    sender: p.endpoint,
    delegate: {
      onStateChange: (status) => {
        statuses.push(status);
        for (const w of waiters.splice(0)) {
          if (w.state === status.state) w.resolve(status);
          else waiters.push(w);
        }
      },
    },
    ...options,
  });
  registration = created;
  const reached = (state: RegistrationState, timeoutMs = 5000): Promise<RegistrationStatus> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not ${state} after ${timeoutMs} ms: ${JSON.stringify(statuses)}\n${kamailio.logTail(20)}`)), timeoutMs);
      waiters.push({ state, resolve: (s) => (clearTimeout(timer), resolve(s)) });
    });
  return { registration: created, contact: contact.toString(), statuses, reached };
}

async function contactsOf(kamailio: Kamailio, user: string): Promise<string[]> {
  const registrations = await kamailio.dumpRegistrations();
  return registrations.filter((r) => r.aor === user).flatMap((r) => r.contacts.map((c) => c.address));
}

describe('registration against Kamailio (MD5)', () => {
  let kamailio: Kamailio;
  beforeAll(async () => {
    kamailio = await startKamailio();
  }, 30_000);
  afterAll(async () => {
    await kamailio?.stop();
  });

  it('eve registers over UDP, is in ul.dump with our contact, and unregisters', async () => {
    phone = await startPhone(kamailio);
    const eve = register(kamailio, phone, 'eve');
    eve.registration.register();
    const registered = await eve.reached(S.Registered);
    expect(registered.code).toBe(200);
    expect(registered.expiresAt! - Date.now()).toBeGreaterThan(590_000);
    expect(await contactsOf(kamailio, 'eve')).toEqual([eve.contact]);
    // A challenge, then the answer: one Call-ID, CSeq 1 and 2.
    expect([...phone.registers]).toEqual([1, 2]);

    await eve.registration.unregister();
    expect(eve.registration.status).toEqual({ state: S.Unregistered });
    expect(await contactsOf(kamailio, 'eve')).toEqual([]);
  });

  it('eve registers over TCP', async () => {
    phone = await startPhone(kamailio);
    const eve = register(kamailio, phone, 'eve', { transport: 'tcp' });
    expect(eve.contact).toMatch(/;transport=tcp$/);
    eve.registration.register();
    await eve.reached(S.Registered);
    const dumped = (await kamailio.dumpRegistrations()).find((r) => r.aor === 'eve');
    expect(dumped?.contacts.map((c) => c.address)).toEqual([eve.contact]);
    expect(dumped?.contacts[0]?.socket).toMatch(/^tcp:/);
    await eve.registration.unregister();
    expect(eve.registration.state).toBe(S.Unregistered);
    expect(await contactsOf(kamailio, 'eve')).toEqual([]);
  });

  it('a wrong password fails once, without a retry loop', async () => {
    phone = await startPhone(kamailio);
    const eve = register(kamailio, phone, 'eve', { credentials: () => 'not-evepass' });
    eve.registration.register();
    const failed = await eve.reached(S.Failed);
    expect(failed).toEqual({ state: S.Failed, code: 401, reason: 'wrong password' });
    await sleep(1000);
    expect([...phone.registers]).toEqual([1, 2]);
    expect(await contactsOf(kamailio, 'eve')).toEqual([]);
  });
});

describe('registration against Kamailio (SHA-256)', () => {
  let kamailio: Kamailio;
  beforeAll(async () => {
    kamailio = await startKamailio({ digestAlgorithm: 'SHA-256' });
  }, 30_000);
  afterAll(async () => {
    await kamailio?.stop();
  });

  it('eve registers with SHA-256 digest through an outbound proxy', async () => {
    phone = await startPhone(kamailio);
    const eve = register(kamailio, phone, 'eve', { outboundProxy: kamailio.proxyUri('udp') });
    eve.registration.register();
    await eve.reached(S.Registered);
    expect(await contactsOf(kamailio, 'eve')).toEqual([eve.contact]);
    const answered = phone.sent[1]!;
    expect(answered).toMatch(/^Route: <sip:127\.0\.0\.1:\d+;transport=udp;lr>$/m);
    expect(answered).toMatch(/^Authorization: Digest .*algorithm=SHA-256/m);
    await eve.registration.unregister();
    expect(await contactsOf(kamailio, 'eve')).toEqual([]);
  });
});
