/**
 * Registrations after a network change: every account registers again at once; when our
 * address toward the registrar changed (a phone listening on every address, moved to another
 * network), the old Contact is removed and the new one bound. The registrar is a stand-in
 * answering each REGISTER (no socket: the endpoint is faked, the phone listens "everywhere").
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountStatus } from '../../../../shared/model.js';
import { silentLogger } from '../../../../main/core/log.js';
import { Registrations } from '../../../../main/core/phone/registrations.js';
import type { Signalling } from '../../../../main/core/phone/signalling.js';
import { createResponse } from '../../../../main/core/sip/messages/create-response.js';
import type { SipRequest } from '../../../../main/core/sip/messages/index.js';
import type { ListeningPoint } from '../../../../main/core/sip/transport/index.js';
import { MemorySecretStore, passwordKey } from '../../../../main/core/store/secret-store.js';
import { accountFields } from '../../../helpers/account-fields.js';

const running: Registrations[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.unregisterAll()));
});

/** A registrar that grants every binding for 600 s, and what was sent to it. */
function fakeSignalling(sent: SipRequest[]): Signalling {
  const point: ListeningPoint = { transport: 'udp', address: '0.0.0.0', port: 5060 } as ListeningPoint;
  const fake = {
    flowRecovery: {},
    onFlowFailed: () => () => undefined,
    listensOn: () => true,
    listen: () => Promise.resolve(),
    firstAddress: () => Promise.resolve('203.0.113.5'),
    flowsToward: () => Promise.resolve([]),
    endpoint: {
      transport: { listeningPoints: () => [point], retainFlow: () => true, releaseFlow: () => undefined, closeFlow: () => undefined },
      send: (request: SipRequest) => {
        sent.push(request);
        // The binding asked for, granted as asked (a removal leaves none).
        const contact = request.get('Contact') ?? '';
        const removal = /;\s*expires=0\b/i.test(contact) || request.get('Expires') === '0';
        return Promise.resolve(createResponse(request, 200, removal ? {} : { headers: [['Contact', contact]] }));
      },
    },
  };
  return fake as unknown as Signalling;
}

async function setup() {
  let source = '192.0.2.10';
  const sent: SipRequest[] = [];
  const statuses: AccountStatus[] = [];
  const secrets = new MemorySecretStore();
  const account = { id: 'a1', ...accountFields({ user: 'eve', domain: 'example.test', password: 'x', registerExpires: 600 }) };
  await secrets.set(passwordKey('a1'), 'x');
  const registrations = new Registrations(fakeSignalling(sent), secrets, { onStatus: (s) => statuses.push(s) }, silentLogger, () => Promise.resolve(source));
  running.push(registrations);
  await registrations.register(account);
  await expect.poll(() => statuses.at(-1)?.state).toBe('registered');
  return {
    registrations,
    sent,
    statuses,
    move: (to: string) => (source = to),
    /** Each REGISTER's Contact (name-addr) and the lifetime it asks for (param or header). */
    registers: () =>
      sent
        .filter((r) => r.method === 'REGISTER')
        .map((r) => {
          const contact = r.get('Contact') ?? '';
          return { contact: /^(<[^>]*>|\*)/.exec(contact)?.[1], expires: /;\s*expires=(\d+)/i.exec(contact)?.[1] ?? r.get('Expires') };
        }),
  };
}

describe('registrations after a network change', () => {
  it('the same address: registered again at once, same Contact, nothing removed', async () => {
    const { registrations, registers, statuses } = await setup();
    expect(registers()).toEqual([{ contact: '<sip:eve@192.0.2.10:5060>', expires: '600' }]);
    expect(registrations.contactOf('a1')?.toString()).toBe('sip:eve@192.0.2.10:5060');
    expect(registrations.contactOf('nobody')).toBeUndefined();
    const before = statuses.length;
    registrations.networkChanged();
    await expect.poll(() => statuses.slice(before).map((s) => s.state)).toEqual(['registering', 'registered']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(registers()).toEqual([
      { contact: '<sip:eve@192.0.2.10:5060>', expires: '600' },
      { contact: '<sip:eve@192.0.2.10:5060>', expires: '600' },
    ]);
  });

  it('a new address: the old Contact is removed and the new one registered', async () => {
    const { registrations, registers, statuses, move } = await setup();
    move('198.51.100.20');
    registrations.networkChanged();
    await expect.poll(() => registers().at(-1)).toEqual({ contact: '<sip:eve@198.51.100.20:5060>', expires: '600' });
    await expect.poll(() => statuses.at(-1)?.state).toBe('registered');
    const afterChange = registers().slice(1);
    // The REGISTER the change sent at once may still name the old address; then its binding
    // is removed (expires=0, never "*") before the new Contact is bound.
    const removal = afterChange.findIndex((r) => r.contact === '<sip:eve@192.0.2.10:5060>' && r.expires === '0');
    expect(removal).toBeGreaterThanOrEqual(0);
    expect(afterChange.findIndex((r) => r.contact === '<sip:eve@198.51.100.20:5060>')).toBeGreaterThan(removal);
    expect(afterChange.some((r) => r.contact === '*')).toBe(false);
    // What new calls are to say as their Contact from now on.
    expect(registrations.contactOf('a1')?.toString()).toBe('sip:eve@198.51.100.20:5060');
    // Later network changes at the new address keep it.
    const count = registers().length;
    registrations.networkChanged();
    await expect.poll(() => registers().length).toBe(count + 1);
    expect(registers().at(-1)).toEqual({ contact: '<sip:eve@198.51.100.20:5060>', expires: '600' });
  });
});
