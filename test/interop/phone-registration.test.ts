/**
 * Accounts registering for real, through the whole core: the contract's `accounts.*`
 * requests against the lab's Kamailio, with `account.state` events as the UI sees them.
 * DNS is a stub that points lab.test at the lab (no real DNS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountStatus } from '../../shared/model.js';
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
  const { core } = await testCore({ dns });
  const states: AccountStatus[] = [];
  core.subscribe((name, payload) => {
    if (name === 'account.state') states.push(payload as AccountStatus);
  });
  const reached = (state: AccountStatus['state']) => expect.poll(() => states.at(-1)?.state, { timeout: 5000 }).toBe(state);
  return { core, states, reached };
}

const contactsOf = async (user: string) =>
  (await kamailio.dumpRegistrations()).filter((r) => r.aor.startsWith(`${user}@`) || r.aor === user).flatMap((r) => r.contacts);

describe('accounts register at Kamailio through the core', () => {
  it('registers over UDP when added, and unregisters when removed', async () => {
    const { core, states, reached } = await phone();
    const account = await core.handlers['accounts.add'](accountFields({
      user: 'eve',
      domain: 'lab.test',
      password: 'evepass',
      transport: 'udp',
      registerExpires: 300,
      register: true,
      enabled: true,
    }));
    await reached('registered');
    expect(states.map((s) => s.state)).toEqual(['registering', 'registered']);
    expect(states.at(-1)).toMatchObject({ accountId: account.id, code: 200 });
    expect(states.at(-1)!.expiresAt! - Date.now()).toBeGreaterThan(250_000);
    const contacts = await contactsOf('eve');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.address).toMatch(/^sip:eve@127\.0\.0\.1:\d+$/);
    expect((await core.handlers['accounts.list']({}))[0]!.status.state).toBe('registered');

    await core.handlers['accounts.remove']({ id: account.id });
    await reached('unregistered');
    expect(await contactsOf('eve')).toEqual([]);
  });

  it('registers over TCP, and re-registers when the network changes', async () => {
    const { core, states, reached } = await phone();
    await core.handlers['accounts.add'](accountFields({ user: 'dave', domain: 'lab.test', password: 'davepass', transport: 'tcp', registerExpires: 300, register: true, enabled: true }));
    await reached('registered');
    expect((await contactsOf('dave'))[0]!.address).toContain('transport=tcp');
    const before = states.length;
    core.networkChanged();
    await expect.poll(() => states.slice(before).map((s) => s.state), { timeout: 5000 }).toContain('registered');
    await core.close();
    expect(await contactsOf('dave')).toEqual([]);
  });

  it('shows a wrong password as such, without retrying', async () => {
    const { core, states, reached } = await phone();
    await core.handlers['accounts.add'](accountFields({ user: 'carol', domain: 'lab.test', password: 'not-carols', transport: 'udp', registerExpires: 300, register: true, enabled: true }));
    await reached('failed');
    expect(states.at(-1)).toMatchObject({ state: 'failed', code: 401, reason: 'wrong password' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(states.at(-1)!.state).toBe('failed');
  });

  it('fails clearly when the domain cannot be located', async () => {
    const { core, reached, states } = await phone();
    await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'nowhere.test', password: 'x', transport: 'udp', registerExpires: 300, register: true, enabled: true }));
    await reached('failed');
    expect(states.at(-1)!.reason).toBeTruthy();
  });
});
