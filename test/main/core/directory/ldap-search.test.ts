/**
 * Live LDAP look-ups against a real OpenLDAP slapd on 127.0.0.1: by name and by part of a
 * number, entries mapped to contact-like results, the query escaped (RFC 4515), bounded by the
 * size limit, and the failures a user can meet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Directory, DirectoryError, LDAP_PASSWORD_KEY } from '../../../../main/core/directory/index.js';
import { EventHub } from '../../../../main/core/events.js';
import { silentLogger } from '../../../../main/core/log.js';
import { ContactsStore } from '../../../../main/core/store/contacts-store.js';
import { openDatabase } from '../../../../main/core/store/database.js';
import { MemorySecretStore } from '../../../../main/core/store/secret-store.js';
import type { LdapSettingsInput } from '../../../../shared/model.js';
import { freePort } from '../../../interop/lab/process.js';
import { SLAPD_SUFFIX, Slapd } from '../../../helpers/slapd.js';
import { silentServer } from '../../../helpers/silent-server.js';
import { tempDir } from '../../../helpers/temp-dir.js';

const PEOPLE = `ou=people,${SLAPD_SUFFIX}`;
const PHONE_DN = `cn=phone,${SLAPD_SUFFIX}`;
const PHONE_PASSWORD = 'phone-secret';

const person = (cn: string, sn: string, lines: string[]): string =>
  [`dn: cn=${cn},${PEOPLE}`, 'objectClass: inetOrgPerson', `cn: ${cn}`, `sn: ${sn}`, ...lines, ''].join('\n');

const LDIF = [
  [`dn: ${PEOPLE}`, 'objectClass: organizationalUnit', 'ou: people', ''].join('\n'),
  [`dn: ${PHONE_DN}`, 'objectClass: person', 'cn: phone', 'sn: phone', `userPassword: ${PHONE_PASSWORD}`, ''].join('\n'),
  person('Bob Builder', 'Builder', ['o: Acme', 'telephoneNumber: +44 20 7946 0000', 'mobile: +44 7700 900123', 'mail: bob@example.test']),
  person('Carol Danvers', 'Danvers', ['telephoneNumber: +1 555 010 2000', 'displayName: Captain Carol']),
  person('Star*Man (test)', 'Man', ['telephoneNumber: +44 20 7946 0999']),
  ...Array.from({ length: 12 }, (_, i) => person(`Sales Agent ${i + 1}`, 'Agent', [`telephoneNumber: +44 20 7946 1${String(i).padStart(3, '0')}`])),
].join('\n');

let server: Slapd;
beforeAll(async () => {
  server = await Slapd.start(LDIF);
}, 30_000);
afterAll(async () => {
  await server?.stop();
});

async function directory(settings: Partial<LdapSettingsInput> & { password?: string | null } = {}): Promise<Directory> {
  const db = openDatabase(tempDir());
  const d = new Directory(db, new ContactsStore(db), new MemorySecretStore(), new EventHub(silentLogger), silentLogger);
  await d.configureLdap({ url: server.url, bindDn: PHONE_DN, password: PHONE_PASSWORD, baseDn: SLAPD_SUFFIX, ...settings });
  return d;
}

describe('LDAP directory search (slapd)', () => {
  it('by name: the entry as a contact-like result with its numbers, organisation and mail', async () => {
    const { entries, truncated } = await (await directory()).search('builder');
    expect(truncated).toBe(false);
    expect(entries).toEqual([
      {
        dn: `cn=Bob Builder,${PEOPLE}`,
        name: 'Bob Builder',
        organisation: 'Acme',
        addresses: [
          { kind: 'phone', label: 'work', value: '+44 20 7946 0000' },
          { kind: 'phone', label: 'mobile', value: '+44 7700 900123' },
        ],
        email: 'bob@example.test',
      },
    ]);
  });

  it('by part of a number; displayName is preferred to cn', async () => {
    const { entries } = await (await directory()).search('010 2000');
    expect(entries.map((e) => e.name)).toEqual(['Captain Carol']);
  });

  it('the query is escaped: "*", "(" and ")" are matched as characters, never as filter syntax', async () => {
    const d = await directory();
    expect((await d.search('Star*Man (test)')).entries.map((e) => e.name)).toEqual(['Star*Man (test)']);
    // Unescaped, this would close the filter and match everyone.
    expect((await d.search('*)(cn=*')).entries).toEqual([]);
  });

  it('bounded: no more than the size limit, and the list says it was cut', async () => {
    const d = await directory({ sizeLimit: 5 });
    const { entries, truncated } = await d.search('Sales Agent');
    expect(entries).toHaveLength(5);
    expect(truncated).toBe(true);
    expect(await d.search('Sales Agent', 3)).toMatchObject({ entries: { length: 3 }, truncated: true });
  });

  it('a filter template of our own, with {query} in it', async () => {
    const d = await directory({ filter: '(&(objectClass=inetOrgPerson)(sn={query}))' });
    expect((await d.search('Danvers')).entries.map((e) => e.name)).toEqual(['Captain Carol']);
  });

  it('a filter template that is not an LDAP filter is refused when configured', async () => {
    for (const filter of ['(&(cn={query})', '(cn={query}))(sn=x)', '(cnx{query})']) {
      await expect(directory({ filter })).rejects.toMatchObject({ failure: 'bad_filter', field: 'filter' });
    }
  });

  it('a wrong bind password is an authentication error; the password is in the secret store only', async () => {
    const d = await directory({ password: 'wrong' });
    const error = await d.search('bob').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryError);
    expect(error).toMatchObject({ failure: 'authentication', code: 'unavailable' });
    expect(JSON.stringify(await d.get())).not.toContain('wrong');
    expect((await d.get()).ldap?.hasPassword).toBe(true);
  });

  it('anonymous (no bind DN): this directory hides its entries, and the error says where to look', async () => {
    const db = openDatabase(tempDir());
    const d = new Directory(db, new ContactsStore(db), new MemorySecretStore(), new EventHub(silentLogger), silentLogger);
    await d.configureLdap({ url: server.url, baseDn: SLAPD_SUFFIX });
    await expect(d.search('bob')).rejects.toMatchObject({ failure: 'server', field: 'baseDn', message: expect.stringMatching(/base DN/) });
  });

  it('a server that accepts and never answers: the search gives up at the time limit', async () => {
    const hung = await silentServer();
    try {
      const d = await directory({ url: `ldap://127.0.0.1:${hung.port}`, timeLimitSeconds: 1 });
      const started = Date.now();
      await expect(d.search('bob')).rejects.toMatchObject({ failure: 'timeout' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await hung.close();
    }
  });

  it('removing the directory: its settings and its password (from the secret store) go; a search then says it is not set up', async () => {
    const db = openDatabase(tempDir());
    const secrets = new MemorySecretStore();
    const d = new Directory(db, new ContactsStore(db), secrets, new EventHub(silentLogger), silentLogger);
    await d.configureLdap({ url: server.url, bindDn: PHONE_DN, password: PHONE_PASSWORD, baseDn: SLAPD_SUFFIX });
    expect(await secrets.get(LDAP_PASSWORD_KEY)).toBe(PHONE_PASSWORD);
    expect(await d.removeLdap()).toBeNull();
    expect(await d.get()).toEqual({});
    expect(await secrets.get(LDAP_PASSWORD_KEY)).toBeUndefined();
    await expect(d.search('bob')).rejects.toMatchObject({ failure: 'not_configured' });
    await expect(d.removeLdap()).rejects.toMatchObject({ failure: 'not_configured' });
  });

  it('no server listening is unreachable; not configured says so', async () => {
    const port = await freePort({ udp: false });
    const d = await directory({ url: `ldap://127.0.0.1:${port}`, timeLimitSeconds: 2 });
    await expect(d.search('bob')).rejects.toMatchObject({ failure: 'unreachable' });
    const db = openDatabase(tempDir());
    const none = new Directory(db, new ContactsStore(db), new MemorySecretStore(), new EventHub(silentLogger), silentLogger);
    await expect(none.search('bob')).rejects.toMatchObject({ failure: 'not_configured' });
  });
});
