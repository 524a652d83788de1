/**
 * The `directory.*` contract through a real core and the host bridge (params validated,
 * results and errors as a renderer sees them): a CardDAV address book synced into
 * `contacts.list`, and an LDAP search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../../../shared/contract.js';
import { testCore } from '../../../helpers/core.js';
import { Radicale } from '../../../helpers/radicale.js';
import { SLAPD_SUFFIX, Slapd } from '../../../helpers/slapd.js';

let radicale: Radicale;
let slapd: Slapd;
beforeAll(async () => {
  [radicale, slapd] = await Promise.all([
    Radicale.start(),
    Slapd.start([`dn: cn=Bob Builder,${SLAPD_SUFFIX}`, 'objectClass: inetOrgPerson', 'cn: Bob Builder', 'sn: Builder', 'telephoneNumber: +44 20 7946 0000', 'userPassword: bob-pw', ''].join('\n')),
  ]);
}, 30_000);
afterAll(async () => {
  await Promise.all([radicale?.stop(), slapd?.stop()]);
});

describe('directory contract', () => {
  it('alice sets up her CardDAV address book, syncs, and finds its cards among her contacts', async () => {
    const book = await radicale.createAddressBook('office');
    await radicale.putVCard(book, 'bob', 'BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:6f1c6a2e-0b7e-4d6a-9a53-5d1f0c3b9e01\nFN:Bob Builder\nTEL:+44 20 7946 0000\nEND:VCARD\n');
    const { core, bridge } = await testCore();
    const states: unknown[] = [];
    core.subscribe((name: EventName, payload) => name === 'directory.sync' && states.push((payload as { state: string }).state));

    const configured = await bridge.invoke('directory.configureCardDav', { serverUrl: radicale.url, username: radicale.username, password: radicale.password });
    expect(configured).toMatchObject({ ok: true, result: { serverUrl: radicale.url, hasPassword: true } });
    expect(JSON.stringify(configured)).not.toContain(radicale.password);

    expect(await bridge.invoke('directory.syncCardDav', {})).toMatchObject({ ok: true, result: { mode: 'full', added: 1, conflicts: [] } });
    expect(await bridge.invoke('contacts.list', { query: '7946' })).toMatchObject({ ok: true, result: [{ name: 'Bob Builder', source: { kind: 'carddav' } }] });
    expect(states).toEqual(['syncing', 'synced']);

    expect(await bridge.invoke('directory.removeCardDav', {})).toEqual({ ok: true, result: { removedContacts: 1, keptContacts: 0 } });
    expect(await bridge.invoke('contacts.list', {})).toEqual({ ok: true, result: [] });
    expect(await bridge.invoke('directory.removeCardDav', {})).toMatchObject({ ok: false, error: { code: 'invalid_state' } });
  });

  it('alice searches the company LDAP directory; a bad URL is refused with the field named', async () => {
    const { bridge } = await testCore();
    expect(await bridge.invoke('directory.configureLdap', { url: 'http://ldap.example', baseDn: SLAPD_SUFFIX })).toMatchObject({ ok: false, error: { code: 'invalid_params', field: 'url' } });
    expect(
      await bridge.invoke('directory.configureLdap', { url: slapd.url, bindDn: `cn=Bob Builder,${SLAPD_SUFFIX}`, password: 'bob-pw', baseDn: SLAPD_SUFFIX }),
    ).toMatchObject({ ok: true, result: { sizeLimit: 50, timeLimitSeconds: 5, hasPassword: true } });
    expect(await bridge.invoke('directory.search', { query: 'bob' })).toMatchObject({
      ok: true,
      result: { entries: [{ name: 'Bob Builder', addresses: [{ kind: 'phone', value: '+44 20 7946 0000' }] }], truncated: false },
    });
    expect(await bridge.invoke('directory.get', {})).toMatchObject({ ok: true, result: { ldap: { url: slapd.url } } });
    expect(await bridge.invoke('directory.removeLdap', {})).toEqual({ ok: true, result: null });
    expect(await bridge.invoke('directory.get', {})).toEqual({ ok: true, result: {} });
  });
});
