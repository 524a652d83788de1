/**
 * Directories in the UI, end to end: in Chromium the web UI of a real core is pointed at a real
 * Radicale (two vCards) and syncs them into the contacts, then at a real OpenLDAP slapd and finds
 * a colleague there from the contacts search, adds them to the contacts, and calls the lab's bob
 * (registered as eve at the lab's Kamailio). A scheduled sync that fails shows in the last-result
 * line; both directories are removed from the settings after a confirmation. Missing server
 * binaries fail the test (the helpers say which package), never skip it.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NullDriver } from '../../main/core/audio/index.js';
import type { Core } from '../../main/core/index.js';
import { silentLogger } from '../../main/core/log.js';
import { readAppMeta } from '../../main/hosts/app-meta.js';
import { startWebHost } from '../../main/hosts/web/server.js';
import { requests } from '../../shared/contract.js';
import { accountFields } from '../helpers/account-fields.js';
import { launchBrowser } from '../helpers/browser.js';
import { testCore } from '../helpers/core.js';
import { Radicale } from '../helpers/radicale.js';
import { SLAPD_SUFFIX, Slapd } from '../helpers/slapd.js';
import { issueServerCertificate, makeTestCa, type TestCa } from '../helpers/test-ca.js';
import { labDns } from '../interop/lab/dns.js';
import { makeTempDir, removeTempDir } from '../interop/lab/process.js';
import { startKamailio, type Kamailio } from '../interop/lab/kamailio.js';

const vcard = (uid: string, lines: string[]): string => ['BEGIN:VCARD', 'VERSION:3.0', `UID:${uid}`, ...lines, 'END:VCARD', ''].join('\n');
const BOB = vcard('bob', ['FN:Bob Builder', 'N:Builder;Bob;;;', 'ORG:Acme', 'TEL;TYPE=work,voice:+44 20 7946 0000']);
// Text from the network is drawn as text: this name makes no element.
const CAROL = vcard('carol', ['FN:Carol <i>Danvers</i>', 'TEL;TYPE=cell:+1 555 010 2000']);

const PEOPLE = `ou=people,${SLAPD_SUFFIX}`;
const PHONE_DN = `cn=phone,${SLAPD_SUFFIX}`;
const PHONE_PASSWORD = 'phone-secret';
const LDIF = [
  [`dn: ${PEOPLE}`, 'objectClass: organizationalUnit', 'ou: people', ''].join('\n'),
  [`dn: ${PHONE_DN}`, 'objectClass: person', 'cn: phone', 'sn: phone', `userPassword: ${PHONE_PASSWORD}`, ''].join('\n'),
  // The lab's bob, reachable by his extension (his SIP user).
  [`dn: cn=Bob Lab,${PEOPLE}`, 'objectClass: inetOrgPerson', 'cn: Bob Lab', 'sn: Lab', 'telephoneNumber: bob', ''].join('\n'),
  [`dn: cn=Dana Scully,${PEOPLE}`, 'objectClass: inetOrgPerson', 'cn: Dana Scully', 'sn: Scully', 'o: FBI', 'telephoneNumber: +1 202 555 0147', 'mail: dana@example.test', ''].join('\n'),
].join('\n');

let browser: Browser;
let radicale: Radicale;
let slapd: Slapd;
let kamailio: Kamailio;
/** A slapd that wants TLS, its certificate from a CA made for this run, and a CA it is not from. */
let secureSlapd: Slapd;
let ca: TestCa;
let otherCa: TestCa;
let certDir: string;
const cleanups: (() => Promise<void>)[] = [];

async function startSecureSlapd(): Promise<Slapd> {
  certDir = makeTempDir('softphone-e2e-ldap-tls-');
  [ca, otherCa] = await Promise.all([makeTestCa(certDir, 'ours'), makeTestCa(certDir, 'other')]);
  return Slapd.start(LDIF, { tls: { ...(await issueServerCertificate(ca, certDir)), required: true } });
}

beforeAll(async () => {
  [browser, radicale, slapd, kamailio, secureSlapd] = await Promise.all([launchBrowser(), Radicale.start(), Slapd.start(LDIF), startKamailio(), startSecureSlapd()]);
}, 60_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await Promise.all([radicale?.stop(), slapd?.stop(), kamailio?.stop(), secureSlapd?.stop()]);
  if (certDir !== undefined) removeTempDir(certDir);
});

/** Our phone's page on the web host; registered as eve at the lab's Kamailio when a call is wanted. */
async function phonePage(options: { registered?: boolean } = {}): Promise<{ page: Page; core: Core }> {
  const { core, bridge } = await testCore({ host: 'web', dns: labDns(kamailio), audio: { driver: new NullDriver(), rtpTimeoutSeconds: 0 } });
  if (options.registered === true) {
    await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', srtp: 'off' }));
    await expect.poll(async () => (await core.handlers['accounts.list']({}))[0]?.status.state, { timeout: 8000 }).toBe('registered');
  }
  const web = await startWebHost({ bridge, subscribe: (sink) => core.subscribe(sink), staticDir: join(readAppMeta().root, 'dist', 'renderer'), logger: silentLogger });
  const page = await browser.newPage();
  page.setDefaultTimeout(10_000);
  cleanups.push(async () => {
    await page.close();
    await web.close();
  });
  await page.goto(web.url);
  await page.getByTestId('app-shell').waitFor();
  return { page, core };
}

const names = (page: Page) => () => page.getByTestId('contact-name').allTextContents();

describe('directories in the UI', () => {
  it('CardDAV: a bad URL is refused beside its field, a wrong password fails the sync, the right one brings both cards into the contacts', async () => {
    const book = await radicale.createAddressBook('team');
    await radicale.putVCard(book, 'bob', BOB);
    await radicale.putVCard(book, 'carol', CAROL);
    const { page, core } = await phonePage();
    await page.getByTestId('nav-settings').click();
    const form = page.getByTestId('carddav-form');

    await form.getByTestId('carddav-serverUrl').fill('ftp://example.test/');
    await form.getByTestId('carddav-username').fill(radicale.username);
    await form.getByTestId('carddav-save').click();
    await expect.poll(() => form.getByTestId('carddav-serverUrl-error').textContent(), { timeout: 5000 }).toContain('http');

    await form.getByTestId('carddav-serverUrl').fill(radicale.url);
    await form.getByTestId('carddav-password').fill('not-the-password');
    await form.getByTestId('carddav-save').click();
    await form.getByTestId('carddav-notice').waitFor();
    // Write-only: the field empties and says a password is saved.
    expect(await form.getByTestId('carddav-password').inputValue()).toBe('');
    await form.getByTestId('carddav-password-saved').waitFor();
    await form.getByTestId('carddav-sync').click();
    await expect.poll(() => form.getByTestId('carddav-sync-status').textContent(), { timeout: 15_000 }).toContain('Sync failed');

    await form.getByTestId('carddav-password').fill(radicale.password);
    await form.getByTestId('carddav-save').click();
    await expect.poll(async () => (await core.handlers['directory.get']({})).carddav?.hasPassword).toBe(true);
    await form.getByTestId('carddav-sync').click();
    await expect.poll(() => form.getByTestId('carddav-sync-status').textContent(), { timeout: 15_000 }).toMatch(/Synced .*: 2 added, 0 updated, 0 removed/);
    await expect.poll(() => form.getByTestId('carddav-in-use').textContent()).toContain(book);

    await page.getByTestId('nav-contacts').click();
    await expect.poll(names(page), { timeout: 5000 }).toEqual(['Bob Builder', 'Carol <i>Danvers</i>']);
    expect(await page.getByTestId('contact-item').locator('i').count()).toBe(0);
  }, 60_000);

  it('CardDAV two-way: an edit, a new contact marked for the address book and a deletion made in the contacts screen reach the server soon after, unasked', async () => {
    const book = await radicale.createAddressBook('twoway');
    const bob = await radicale.putVCard(book, 'bob', BOB);
    const carol = await radicale.putVCard(book, 'carol', CAROL);
    const { page, core } = await phonePage();
    await core.handlers['directory.configureCardDav']({ serverUrl: radicale.url, username: radicale.username, password: radicale.password, addressBookUrl: book });
    await core.handlers['directory.syncCardDav']({});
    // Synced behind the page's back: it reads the contacts afresh.
    await page.reload();
    await page.getByTestId('nav-contacts').click();
    await expect.poll(names(page), { timeout: 5000 }).toEqual(['Bob Builder', 'Carol <i>Danvers</i>']);

    const bobItem = page.getByTestId('contact-item').filter({ hasText: 'Bob Builder' });
    await bobItem.getByTestId('contact-edit').click();
    const form = page.getByTestId('contact-form');
    await form.getByTestId('contact-form-notes').fill('Site foreman');
    await form.getByTestId('contact-form-save').click();
    await expect.poll(async () => (await radicale.getVCard(bob.url))?.text, { timeout: 15_000 }).toMatch(/^NOTE:Site foreman\r?$/m);

    await page.getByTestId('contact-add').click();
    await form.getByTestId('contact-form-name').fill('Dave Lister');
    await form.getByTestId('contact-form-address-value').first().fill('+44 161 496 0000');
    await form.getByTestId('contact-form-carddav').check();
    await form.getByTestId('contact-form-save').click();
    await expect.poll(async () => (await radicale.listVCards(book)).length, { timeout: 15_000 }).toBe(3);

    const carolItem = page.getByTestId('contact-item').filter({ hasText: 'Carol' });
    await carolItem.getByTestId('contact-delete').click();
    expect(await carolItem.getByTestId('contact-delete-question').textContent()).toContain('deleted from the CardDAV address book too');
    await carolItem.getByTestId('contact-delete-confirm').click();
    await expect.poll(async () => radicale.getVCard(carol.url), { timeout: 15_000 }).toBeUndefined();

    // A change on the server comes down at the next sync, and the contacts screen follows it.
    await radicale.putVCard(book, 'bob', (await radicale.getVCard(bob.url))!.text.replace('ORG:Acme', 'ORG:Acme Towers'));
    await core.handlers['directory.syncCardDav']({});
    await expect.poll(() => bobItem.getByTestId('contact-organisation').textContent({ timeout: 1000 }).catch(() => null), { timeout: 5000 }).toBe('Acme Towers');
    expect((await core.handlers['directory.get']({})).carddav?.syncedContacts).toBe(2);
    const dave = (await core.handlers['contacts.list']({ query: 'Dave', limit: 1 }))[0];
    expect(dave?.source?.href).toMatch(new RegExp(`^${book}`));
  }, 60_000);

  it('CardDAV: a sync every 5 minutes that fails shows in the last-result line (also after a reload); removing asks first, says how many contacts go, and takes them', async () => {
    const book = await radicale.createAddressBook('scheduled');
    await radicale.putVCard(book, 'bob', BOB);
    const { page, core } = await phonePage();
    await page.getByTestId('nav-settings').click();
    const form = page.getByTestId('carddav-form');
    await form.getByTestId('carddav-serverUrl').fill(radicale.url);
    await form.getByTestId('carddav-username').fill(radicale.username);
    await form.getByTestId('carddav-password').fill('not-the-password');
    await form.getByTestId('carddav-addressBookUrl').fill(book);
    await form.getByTestId('carddav-interval').selectOption('5');
    await form.getByTestId('carddav-save').click();
    await form.getByTestId('carddav-notice').waitFor();
    expect((await core.handlers['directory.get']({})).carddav?.syncIntervalMinutes).toBe(5);

    // Nobody presses "Sync now": the schedule syncs a few seconds after the settings changed, and fails.
    await expect.poll(() => form.getByTestId('carddav-sync-status').textContent(), { timeout: 20_000 }).toMatch(/Sync failed .*credentials/);
    // Retried within the minute, said in the same line.
    await form.getByTestId('carddav-next-sync').waitFor();
    await page.reload();
    await page.getByTestId('nav-settings').click();
    await expect.poll(() => form.getByTestId('carddav-sync-failed').textContent(), { timeout: 10_000 }).toMatch(/Sync failed .*credentials/);
    expect(await form.getByTestId('carddav-interval').inputValue()).toBe('5');

    await form.getByTestId('carddav-password').fill(radicale.password);
    await form.getByTestId('carddav-save').click();
    await expect.poll(async () => (await core.handlers['directory.get']({})).carddav?.hasPassword).toBe(true);
    await form.getByTestId('carddav-sync').click();
    await expect.poll(() => form.getByTestId('carddav-sync-status').textContent(), { timeout: 15_000 }).toMatch(/Synced .*: 1 added, 0 updated, 0 removed\..*Next sync/);
    expect(await form.getByTestId('carddav-sync-failed').count()).toBe(0);

    // Remove: asked first (and "Keep" keeps it), the question says what goes.
    await form.getByTestId('carddav-remove').click();
    expect(await form.getByTestId('carddav-remove-question').textContent()).toContain('the 1 contact that came from it is removed from this phone');
    await form.getByTestId('carddav-remove-keep').click();
    expect(await form.getByTestId('carddav-remove-confirm').count()).toBe(0);
    expect((await core.handlers['directory.get']({})).carddav).toBeDefined();
    await form.getByTestId('carddav-remove').click();
    await form.getByTestId('carddav-remove-yes').click();
    await expect.poll(() => form.getByTestId('carddav-notice').textContent(), { timeout: 5000 }).toBe('Address book removed: 1 contact removed.');
    expect(await form.getByTestId('carddav-serverUrl').inputValue()).toBe('');
    expect(await form.getByTestId('carddav-remove').count()).toBe(0);
    expect((await core.handlers['directory.get']({})).carddav).toBeUndefined();
    expect(await core.handlers['contacts.list']({ limit: 10 })).toEqual([]);
    // The server keeps its card.
    expect(await radicale.listVCards(book)).toHaveLength(1);
  }, 90_000);

  it('LDAP: removing the directory asks first, then forgets its settings and password', async () => {
    const { page, core } = await phonePage();
    await core.handlers['directory.configureLdap'](requests['directory.configureLdap'].params.parse({ url: slapd.url, bindDn: PHONE_DN, password: PHONE_PASSWORD, baseDn: SLAPD_SUFFIX }));
    await page.getByTestId('nav-settings').click();
    const form = page.getByTestId('ldap-form');
    await expect.poll(() => form.getByTestId('ldap-url').inputValue()).toBe(slapd.url);
    await form.getByTestId('ldap-remove').click();
    expect(await form.getByTestId('ldap-remove-question').textContent()).toContain('Contacts you added from it stay');
    await form.getByTestId('ldap-remove-yes').click();
    await expect.poll(() => form.getByTestId('ldap-notice').textContent(), { timeout: 5000 }).toBe('LDAP directory removed.');
    expect(await form.getByTestId('ldap-url').inputValue()).toBe('');
    expect((await core.handlers['directory.get']({})).ldap).toBeUndefined();
    await expect(core.handlers['directory.search']({ query: 'scully' })).rejects.toMatchObject({ code: 'invalid_state' });
  }, 60_000);

  it('LDAP over TLS: a pasted CA that is not the server\'s fails the search with a clear error; the right one (StartTLS) finds the entry', async () => {
    const { page, core } = await phonePage();
    await page.getByTestId('nav-settings').click();
    const form = page.getByTestId('ldap-form');
    await form.getByTestId('ldap-url').fill(secureSlapd.ldapsUrl!);
    await form.getByTestId('ldap-bindDn').fill(PHONE_DN);
    await form.getByTestId('ldap-password').fill(PHONE_PASSWORD);
    await form.getByTestId('ldap-baseDn').fill(SLAPD_SUFFIX);
    // StartTLS on ldaps:// is refused beside the box; garbage is no CA.
    await form.getByTestId('ldap-startTls').check();
    await form.getByTestId('ldap-save').click();
    await expect.poll(() => form.getByTestId('ldap-startTls-error').textContent(), { timeout: 5000 }).toContain('ldaps://');
    await form.getByTestId('ldap-startTls').uncheck();
    await form.getByTestId('ldap-caCertificate').fill('not a certificate');
    await form.getByTestId('ldap-save').click();
    await expect.poll(() => form.getByTestId('ldap-caCertificate-error').textContent(), { timeout: 5000 }).toContain('PEM');
    await form.getByTestId('ldap-caCertificate').fill(otherCa.pem);
    await form.getByTestId('ldap-save').click();
    await form.getByTestId('ldap-notice').waitFor();

    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contacts-search').fill('scul');
    await expect.poll(() => page.getByTestId('directory-error').textContent(), { timeout: 10_000 }).toMatch(/certificate is not trusted.*check the CA certificate/);

    await page.getByTestId('nav-settings').click();
    await expect.poll(() => form.getByTestId('ldap-caCertificate').inputValue()).toBe(otherCa.pem.trim());
    await form.getByTestId('ldap-url').fill(secureSlapd.url);
    await form.getByTestId('ldap-startTls').check();
    await form.getByTestId('ldap-caCertificate').fill(ca.pem);
    await form.getByTestId('ldap-save').click();
    await expect.poll(async () => (await core.handlers['directory.get']({})).ldap).toMatchObject({ url: secureSlapd.url, startTls: true, caCertificate: ca.pem.trim() });
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contacts-search').fill('scully');
    await expect.poll(() => page.getByTestId('directory-entry-name').allTextContents(), { timeout: 10_000 }).toEqual(['Dana Scully']);
  }, 60_000);

  it('LDAP: configured in the settings, a contacts search shows the directory entry (not before 3 characters), which is added to the contacts', async () => {
    const { page, core } = await phonePage();
    await page.getByTestId('nav-settings').click();
    const form = page.getByTestId('ldap-form');
    await form.getByTestId('ldap-url').fill(slapd.url);
    await form.getByTestId('ldap-bindDn').fill(PHONE_DN);
    await form.getByTestId('ldap-password').fill(PHONE_PASSWORD);
    await form.getByTestId('ldap-baseDn').fill(SLAPD_SUFFIX);
    // A filter without its placeholder is refused beside the field.
    await form.getByTestId('ldap-filter').fill('(cn=*)');
    await form.getByTestId('ldap-save').click();
    await expect.poll(() => form.getByTestId('ldap-filter-error').textContent(), { timeout: 5000 }).toContain('{query}');
    await form.getByTestId('ldap-filter').fill('');
    await form.getByTestId('ldap-save').click();
    await form.getByTestId('ldap-notice').waitFor();
    // The default template is filled in; the password is saved, not shown.
    expect(await form.getByTestId('ldap-filter').inputValue()).toContain('{query}');
    expect(await form.getByTestId('ldap-password').inputValue()).toBe('');
    expect((await core.handlers['directory.get']({})).ldap).toMatchObject({ url: slapd.url, bindDn: PHONE_DN, baseDn: SLAPD_SUFFIX, hasPassword: true });

    await page.getByTestId('nav-contacts').click();
    const search = page.getByTestId('contacts-search');
    // Two characters are not enough to ask the directory.
    await search.fill('sc');
    await page.waitForTimeout(500);
    expect(await page.getByTestId('directory-results').count()).toBe(0);
    await search.fill('scul');
    await expect.poll(() => page.getByTestId('directory-entry-name').allTextContents(), { timeout: 10_000 }).toEqual(['Dana Scully']);
    const entry = page.getByTestId('directory-entry');
    expect(await entry.textContent()).toContain('+1 202 555 0147');
    expect(await names(page)()).toEqual([]);

    await entry.getByTestId('directory-entry-add').click();
    await page.getByTestId('directory-notice').waitFor();
    await expect.poll(names(page), { timeout: 5000 }).toEqual(['Dana Scully']);
    expect((await core.handlers['contacts.list']({ limit: 10 })).find((c) => c.name === 'Dana Scully')).toMatchObject({
      organisation: 'FBI',
      addresses: [expect.objectContaining({ kind: 'phone', value: '+1 202 555 0147' })],
    });
    expect(await entry.getByTestId('directory-entry-add').isDisabled()).toBe(true);
  }, 60_000);

  it('LDAP: a directory entry found from the contacts search is called from there', async () => {
    const { page, core } = await phonePage({ registered: true });
    // Through the contract's schema, as a client would send it: the defaults are filled in.
    await core.handlers['directory.configureLdap'](requests['directory.configureLdap'].params.parse({ url: slapd.url, bindDn: PHONE_DN, password: PHONE_PASSWORD, baseDn: SLAPD_SUFFIX }));
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contacts-search').fill('Bob Lab');
    const entry = page.getByTestId('directory-entry').filter({ hasText: 'Bob Lab' });
    await entry.getByTestId('directory-entry-call').click();
    // An outgoing call to the lab's bob: in progress, or already in the history.
    const called = async (): Promise<boolean> => {
      const calls = await core.handlers['calls.list']({});
      const history = await core.handlers['history.list']({ filter: 'outgoing', limit: 10 });
      return [...calls.map((c) => c.remote.uri), ...history.map((h) => h.remote.uri)].some((uri) => uri.includes('bob@lab.test'));
    };
    await expect.poll(called, { timeout: 10_000 }).toBe(true);
  }, 60_000);
});
