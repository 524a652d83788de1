/**
 * Flow recovery against a real registrar (RFC 5626 §4.4–4.5): an account registered through the
 * core at the lab's Kamailio, then Kamailio restarts (same ports, its in-memory usrloc empty).
 * Over TCP the server closing our connection is the failed flow: the account shows `failed`,
 * then registers again after the §4.5 backoff (short here: base 1 s). Over UDP nothing tells us:
 * the next refresh registers again. DNS is a stub pointing lab.test at the lab (no real DNS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountStatus } from '../../shared/model.js';
import { isSipUri, parseUri } from '../../main/core/sip/uri/index.js';
import { testCore } from '../helpers/core.js';
import { startKamailio, type Kamailio } from './lab/kamailio.js';
import { accountFields } from '../helpers/account-fields.js';
import { labDns } from './lab/dns.js';

let kamailio: Kamailio;
beforeAll(async () => {
  kamailio = await startKamailio();
});
afterAll(() => kamailio.stop());

async function phone() {
  const dns = labDns(kamailio);
  // §4.5 with base 1 s: the first retry after 1–2 s, the second after 2–4 s.
  const { core } = await testCore({ dns, signalling: { flowRecovery: { baseTimeSeconds: 1, maxTimeSeconds: 8 } } });
  const states: { at: number; status: AccountStatus }[] = [];
  core.subscribe((name, payload) => {
    if (name === 'account.state') states.push({ at: Date.now(), status: payload as AccountStatus });
  });
  const stateNow = () => states.at(-1)?.status.state;
  return { core, states, stateNow };
}

const contactsOf = async (user: string) =>
  (await kamailio.dumpRegistrations()).filter((r) => r.aor.startsWith(`${user}@`) || r.aor === user).flatMap((r) => r.contacts);

const account = (user: 'dave' | 'eve', transport: 'udp' | 'tcp', registerExpires: number) =>
  accountFields({ user, domain: 'lab.test', password: `${user}pass`, transport, registerExpires });

describe('registration flow recovery when Kamailio restarts (RFC 5626 §4.4–4.5)', () => {
  it('over TCP: the closed flow fails the account, and the backoff registers it again', async () => {
    const { core, states, stateNow } = await phone();
    await core.handlers['accounts.add'](account('dave', 'tcp', 600));
    await expect.poll(stateNow, { timeout: 5000 }).toBe('registered');
    expect(await contactsOf('dave')).toHaveLength(1);
    // The flow the binding lives on, which the registration holds open between refreshes.
    const hop = parseUri('sip:lab.test;transport=tcp');
    if (!isSipUri(hop)) throw new Error('not a SIP URI');
    const [flow] = await core.signalling.flowsToward(hop);
    expect(flow).toMatchObject({ transport: 'tcp', remoteAddress: '127.0.0.1', remotePort: kamailio.tcpPort });

    const restartedAt = Date.now();
    await kamailio.restart();
    const upAt = Date.now();
    expect(await contactsOf('dave')).toEqual([]);
    await expect.poll(() => states.some((s) => s.at >= restartedAt && s.status.state === 'failed'), { timeout: 5000 }).toBe(true);
    // The first wait is 1–2 s; if Kamailio was still down then, the second is 2–4 s more.
    await expect.poll(stateNow, { timeout: 10_000, interval: 50 }).toBe('registered');
    const recoveredAt = Date.now();
    const failedAt = states.find((s) => s.at >= restartedAt && s.status.state === 'failed')!.at;
    const contacts = await contactsOf('dave');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.address).toContain('transport=tcp');
    console.info(
      `flow recovery over TCP: Kamailio down ${upAt - restartedAt} ms; failed ${failedAt - restartedAt} ms after the stop; ` +
        `registered again ${recoveredAt - failedAt} ms after the failure (${recoveredAt - upAt} ms after Kamailio was back)`,
    );
    expect(states.filter((s) => s.at >= restartedAt).map((s) => s.status.state)).toEqual(expect.arrayContaining(['failed', 'registering', 'registered']));
  }, 30_000);

  it('over UDP: nothing fails, and the next refresh registers again', async () => {
    const { core, stateNow, states } = await phone();
    // 60 s granted: the refresh comes 30 s after the 2xx (refresh-timing.ts: halfway).
    await core.handlers['accounts.add'](account('eve', 'udp', 60));
    await expect.poll(stateNow, { timeout: 5000 }).toBe('registered');
    const registeredAt = states.at(-1)!.at;
    await kamailio.restart();
    const upAt = Date.now();
    expect(await contactsOf('eve')).toEqual([]);
    await expect.poll(async () => (await contactsOf('eve')).length, { timeout: 40_000, interval: 250 }).toBe(1);
    const recoveredAt = Date.now();
    expect(stateNow()).toBe('registered');
    console.info(`flow recovery over UDP by refresh: back in usrloc ${recoveredAt - upAt} ms after Kamailio was back, ${recoveredAt - registeredAt} ms after the first 2xx`);

    // A network change (the host's signal) registers again at once.
    await kamailio.restart();
    const changedAt = Date.now();
    core.networkChanged();
    await expect.poll(async () => (await contactsOf('eve')).length, { timeout: 5000, interval: 50 }).toBe(1);
    console.info(`flow recovery over UDP by networkChanged(): back in usrloc within ${Date.now() - changedAt} ms`);
  }, 60_000);
});
