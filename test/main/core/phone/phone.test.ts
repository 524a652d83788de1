import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../../../shared/contract.js';
import { ConfigFile, type CallView } from '../../../../shared/model.js';
import { testCore } from '../../../helpers/core.js';
import { accountFields } from '../../../helpers/account-fields.js';

describe('phone: accounts', () => {
  it('adds, lists, updates and removes accounts', async () => {
    const { core } = await testCore();
    const h = core.handlers;
    const alice = await h['accounts.add'](accountFields({ user: 'alice', domain: 'lab.test', password: 'alicepass', transport: 'tcp', register: false }));
    expect(alice).toMatchObject({ user: 'alice', transport: 'tcp', hasPassword: true, status: { state: 'unregistered' } });
    expect(alice).not.toHaveProperty('password');
    const updated = await h['accounts.update']({ id: alice.id, changes: { displayName: 'Alice A.', transport: 'tls' } });
    expect(updated).toMatchObject({ id: alice.id, displayName: 'Alice A.', transport: 'tls', hasPassword: true });
    expect(await h['accounts.list']({})).toEqual([updated]);
    expect(await h['accounts.remove']({ id: alice.id })).toBeNull();
    expect(await h['accounts.list']({})).toEqual([]);
    await expect(h['accounts.remove']({ id: alice.id })).rejects.toMatchObject({ code: 'not_found', field: 'id' });
  });

  it('an update clears optional fields set to null (forwarding, proxy, password), and validates through the bridge', async () => {
    const { core, bridge } = await testCore();
    const h = core.handlers;
    const eve = await h['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', register: false, forwardBusy: 'carol', outboundProxy: 'proxy.lab.test' }));
    expect(eve).toMatchObject({ forwardBusy: 'carol', outboundProxy: 'proxy.lab.test', hasPassword: true });
    const cleared = await h['accounts.update']({ id: eve.id, changes: { forwardBusy: null, outboundProxy: null, password: null } });
    expect(cleared).not.toHaveProperty('forwardBusy');
    expect(cleared).not.toHaveProperty('outboundProxy');
    expect(cleared.hasPassword).toBe(false);
    // A required field cannot be cleared: refused with the reason, nothing changed.
    const refused = await bridge.invoke('accounts.update', { id: eve.id, changes: { user: null } });
    expect(JSON.stringify(refused)).toMatch(/user/);
    expect((await h['accounts.list']({}))[0]).toMatchObject({ user: 'eve' });
  });

  it('refuses a second account with the same identity', async () => {
    const { core } = await testCore();
    const fields = { user: 'bob', domain: 'Lab.Test', register: false };
    await core.handlers['accounts.add'](accountFields(fields));
    await expect(core.handlers['accounts.add'](accountFields({ ...fields, domain: 'lab.test' }))).rejects.toMatchObject({ code: 'conflict', field: 'user' });
  });

  it('keeps accounts across restarts, but never the password on disk', async () => {
    const first = await testCore();
    await first.core.handlers['accounts.add'](accountFields({
      user: 'carol',
      domain: 'lab.test',
      password: 'carol-very-secret',
      transport: 'udp',
      registerExpires: 600,
      register: true,
      enabled: true,
    }));
    await first.core.close();
    for (const file of readdirSync(first.dataDir)) {
      expect(readFileSync(join(first.dataDir, file)).includes('carol-very-secret'), file).toBe(false);
    }
    const second = await testCore({ dataDir: first.dataDir });
    expect(await second.core.handlers['accounts.list']({})).toEqual([expect.objectContaining({ user: 'carol' })]);
  });

  it('upserts --config accounts by id instead of duplicating them on restart', async () => {
    const config = ConfigFile.parse({ accounts: [{ id: 'work', user: 'dave', domain: 'lab.test', password: 'davepass', registerExpires: 300 }] });
    const first = await testCore({ config });
    await first.core.close();
    const second = await testCore({ dataDir: first.dataDir, config });
    expect(await second.core.handlers['accounts.list']({})).toEqual([expect.objectContaining({ id: 'work', registerExpires: 300, hasPassword: true })]);
  });
});

describe('phone: calls', () => {
  it('needs an account, a callable target and a real call id', async () => {
    const { core } = await testCore();
    expect(await core.handlers['calls.list']({})).toEqual([]);
    await expect(core.handlers['calls.dial']({ target: 'sip:bob@lab.test' })).rejects.toMatchObject({ code: 'invalid_state', field: 'accountId' });
    await expect(core.handlers['calls.dial']({ target: '100', accountId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.handlers['calls.answer']({ callId: 'c1' })).rejects.toMatchObject({ code: 'not_found', field: 'callId' });
    await core.handlers['accounts.add'](accountFields({ user: 'alice', domain: 'lab.test', transport: 'udp', registerExpires: 600, register: false, enabled: true }));
    await expect(core.handlers['calls.dial']({ target: 'sip:bob@lab.test?Route=%3Csip:evil%3E' })).rejects.toMatchObject({ code: 'invalid_params', field: 'target' });
  });

  it('ends a call to a domain it cannot locate with the reason, and frees it', async () => {
    const { core } = await testCore();
    const states: CallView[] = [];
    core.subscribe((name, payload) => {
      if (name === 'call.state') states.push(payload as CallView);
    });
    await core.handlers['accounts.add'](accountFields({ user: 'alice', domain: 'nowhere.test', transport: 'udp', registerExpires: 600, register: false, enabled: true }));
    const call = await core.handlers['calls.dial']({ target: '1002' });
    expect(call).toMatchObject({ direction: 'outgoing', state: 'calling', remote: { uri: 'sip:1002@nowhere.test' } });
    await expect.poll(() => states.at(-1)?.state).toBe('terminated');
    expect(states.at(-1)!.end).toMatchObject({ by: 'error' });
    expect(await core.handlers['calls.list']({})).toEqual([]);
  });

  it('reports app info for its host', async () => {
    const { core } = await testCore({ host: 'web' });
    expect(await core.handlers['app.info']({})).toMatchObject({ name: 'Softphone', version: '9.9.9-test', host: 'web', versions: { node: process.versions.node } });
  });

  it('lets subscribers come and go', async () => {
    const { core } = await testCore();
    const seen: EventName[] = [];
    const stop = core.subscribe((name) => seen.push(name));
    stop();
    expect(seen).toEqual([]);
  });
});
