/**
 * LDAP over TLS against a real OpenLDAP slapd on 127.0.0.1, with a CA and a server certificate
 * made by openssl for this run: ldaps:// and StartTLS verified against the configured CA, a
 * wrong CA (or none: the system's) refused with a clear error before any password is sent, and
 * a server that cannot do StartTLS named as such. This slapd refuses every operation without
 * TLS, so a search that works proves the bind went over TLS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Directory, DirectoryError } from '../../../../main/core/directory/index.js';
import { EventHub } from '../../../../main/core/events.js';
import { silentLogger } from '../../../../main/core/log.js';
import { ContactsStore } from '../../../../main/core/store/contacts-store.js';
import { openDatabase } from '../../../../main/core/store/database.js';
import { MemorySecretStore } from '../../../../main/core/store/secret-store.js';
import { requests } from '../../../../shared/contract.js';
import type { LdapSettingsInput } from '../../../../shared/model.js';
import { makeTempDir, removeTempDir } from '../../../interop/lab/process.js';
import { SLAPD_SUFFIX, Slapd } from '../../../helpers/slapd.js';
import { issueServerCertificate, makeTestCa, type TestCa } from '../../../helpers/test-ca.js';
import { tempDir } from '../../../helpers/temp-dir.js';

const PHONE_DN = `cn=phone,${SLAPD_SUFFIX}`;
const PHONE_PASSWORD = 'phone-secret';
const LDIF = [
  [`dn: ${PHONE_DN}`, 'objectClass: person', 'cn: phone', 'sn: phone', `userPassword: ${PHONE_PASSWORD}`, ''].join('\n'),
  [`dn: cn=Bob Builder,${SLAPD_SUFFIX}`, 'objectClass: inetOrgPerson', 'cn: Bob Builder', 'sn: Builder', 'telephoneNumber: +44 20 7946 0000', ''].join('\n'),
].join('\n');

let dir: string;
let ca: TestCa;
let otherCa: TestCa;
let secure: Slapd;
let plain: Slapd;
beforeAll(async () => {
  dir = makeTempDir('softphone-ldap-tls-');
  [ca, otherCa] = await Promise.all([makeTestCa(dir, 'ours'), makeTestCa(dir, 'other')]);
  const certificate = await issueServerCertificate(ca, dir);
  [secure, plain] = await Promise.all([Slapd.start(LDIF, { tls: { ...certificate, required: true } }), Slapd.start(LDIF)]);
}, 60_000);
afterAll(async () => {
  await Promise.all([secure?.stop(), plain?.stop()]);
  if (dir !== undefined) removeTempDir(dir);
});

async function directory(settings: Partial<LdapSettingsInput>): Promise<Directory> {
  const db = openDatabase(tempDir());
  const d = new Directory(db, new ContactsStore(db), new MemorySecretStore(), new EventHub(silentLogger), silentLogger);
  // Through the contract's schema, as a client sends it.
  await d.configureLdap(
    requests['directory.configureLdap'].params.parse({ url: secure.url, bindDn: PHONE_DN, password: PHONE_PASSWORD, baseDn: SLAPD_SUFFIX, timeLimitSeconds: 5, ...settings }),
  );
  return d;
}

const bob = { entries: [{ name: 'Bob Builder', addresses: [{ kind: 'phone', value: '+44 20 7946 0000' }] }], truncated: false };

describe('LDAP over TLS (slapd with a test CA)', () => {
  it('without TLS this directory refuses the bind (the test server really wants TLS), and the error says what to use', async () => {
    const d = await directory({});
    await expect(d.search('bob')).rejects.toMatchObject({ failure: 'tls', field: 'startTls', message: expect.stringMatching(/requires TLS: use an ldaps:\/\/ URL or StartTLS/) });
  });

  it('ldaps:// with the CA configured: the certificate verifies and the search works', async () => {
    const d = await directory({ url: secure.ldapsUrl!, caCertificate: ca.pem });
    expect(await d.search('builder')).toMatchObject(bob);
    expect((await d.get()).ldap).toMatchObject({ url: secure.ldapsUrl, startTls: false, caCertificate: ca.pem.trim() });
  });

  it('StartTLS on ldap:// with the CA configured: upgraded before the bind, the search works', async () => {
    const d = await directory({ startTls: true, caCertificate: ca.pem });
    expect(await d.search('builder')).toMatchObject(bob);
  });

  it.each([
    ['ldaps://, another CA', () => ({ url: secure.ldapsUrl!, caCertificate: otherCa.pem })],
    ['StartTLS, another CA', () => ({ startTls: true, caCertificate: otherCa.pem })],
    ['ldaps://, no CA configured (the system CAs do not know this one)', () => ({ url: secure.ldapsUrl! })],
  ])('%s: refused as an untrusted certificate, naming the CA field', async (_name, settings) => {
    const d = await directory(settings());
    const error = await d.search('bob').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DirectoryError);
    expect(error).toMatchObject({ failure: 'tls', code: 'unavailable', field: 'caCertificate', message: expect.stringMatching(/certificate is not trusted .*check the CA certificate/) });
  });

  it('StartTLS against a server without a certificate: it does not offer StartTLS, said so', async () => {
    const d = await directory({ url: plain.url, startTls: true, caCertificate: ca.pem });
    await expect(d.search('bob')).rejects.toMatchObject({ failure: 'tls', field: 'startTls', message: expect.stringMatching(/does not offer StartTLS/) });
  });

  it('settings that cannot work are refused: StartTLS on ldaps://, a CA that is not a PEM certificate', async () => {
    await expect(directory({ url: secure.ldapsUrl!, startTls: true })).rejects.toMatchObject({ code: 'invalid_params', field: 'startTls' });
    await expect(directory({ caCertificate: 'not a certificate' })).rejects.toMatchObject({ code: 'invalid_params', field: 'caCertificate' });
    const broken = ca.pem.replace(/(-----BEGIN CERTIFICATE-----\n)(.{10})/, '$1AAAAAAAAAA');
    await expect(directory({ caCertificate: broken })).rejects.toMatchObject({ code: 'invalid_params', field: 'caCertificate' });
  });
});
