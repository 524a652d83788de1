/**
 * Contacts in the UI, end to end (issue #8 point 6): in Debian's Chromium the web UI of a real
 * core registered as eve at the lab's Kamailio adds, finds, edits and deletes contacts, and a
 * call from baresip bob — one of eve's contacts — rings with the contact's name and photo.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NullDriver } from '../../main/core/audio/index.js';
import type { Core } from '../../main/core/index.js';
import { silentLogger } from '../../main/core/log.js';
import { readAppMeta } from '../../main/hosts/app-meta.js';
import { startWebHost } from '../../main/hosts/web/server.js';
import { accountFields } from '../helpers/account-fields.js';
import { photoBytes, photoUrl } from '../helpers/photos.js';
import { artifactsDir, launchBrowser } from '../helpers/browser.js';
import { testCore } from '../helpers/core.js';
import { startBaresip, type Baresip } from '../interop/lab/baresip.js';
import { labDns } from '../interop/lab/dns.js';
import { startKamailio, type Kamailio } from '../interop/lab/kamailio.js';

let browser: Browser;
let kamailio: Kamailio;
const peers: Baresip[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [browser, kamailio] = await Promise.all([launchBrowser(), startKamailio()]);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await Promise.all(peers.splice(0).map((p) => p.stop()));
});
afterAll(async () => {
  await kamailio.stop();
});

/** Our phone's page on the web host, registered as eve (through the core). */
async function registeredPhone(): Promise<{ page: Page; core: Core }> {
  const { core, bridge } = await testCore({ host: 'web', dns: labDns(kamailio), audio: { driver: new NullDriver(), rtpTimeoutSeconds: 0 } });
  const web = await startWebHost({ bridge, subscribe: (sink) => core.subscribe(sink), staticDir: join(readAppMeta().root, 'dist', 'renderer'), logger: silentLogger });
  const page = await browser.newPage();
  cleanups.push(async () => {
    await page.close();
    await web.close();
  });
  await core.handlers['accounts.add'](accountFields({ user: 'eve', domain: 'lab.test', password: 'evepass', srtp: 'off' }));
  await expect.poll(async () => (await core.handlers['accounts.list']({}))[0]?.status.state, { timeout: 8000 }).toBe('registered');
  await page.goto(web.url);
  await page.getByTestId('app-shell').waitFor();
  return { page, core };
}

/** Whether the page drew the image (a data: URL the CSP refused would have no pixels). */
const drawn = (image: Locator) => image.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 0);

/** The test id of the focused element (a script in the page: this file has no DOM types). */
const activeTestId = (page: Page) => () => page.evaluate('document.activeElement?.dataset.testid');
const names = (page: Page) => () => page.getByTestId('contact-name').allTextContents();

/** Fills the open contact form (the first address row is there already). */
async function fillContact(
  form: Locator,
  fields: { name: string; organisation?: string; addresses?: { kind?: 'sip' | 'phone'; label?: string; value: string }[]; favourite?: boolean; notes?: string },
): Promise<void> {
  await form.getByTestId('contact-form-name').fill(fields.name);
  if (fields.organisation !== undefined) await form.getByTestId('contact-form-organisation').fill(fields.organisation);
  for (const [index, address] of (fields.addresses ?? []).entries()) {
    if (index > 0) await form.getByTestId('contact-form-add-address').click();
    const row = form.getByTestId('contact-form-address').nth(index);
    await row.getByTestId('contact-form-address-kind').selectOption(address.kind ?? 'sip');
    if (address.label !== undefined) await row.getByTestId('contact-form-address-label').fill(address.label);
    await row.getByTestId('contact-form-address-value').fill(address.value);
  }
  if (fields.favourite === true) await form.getByTestId('contact-form-favourite').check();
  if (fields.notes !== undefined) await form.getByTestId('contact-form-notes').fill(fields.notes);
}

describe('contacts in the UI', () => {
  it('adds contacts (favourites first), finds them by name, organisation and number, edits and deletes one', async () => {
    const { page, core } = await registeredPhone();
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contacts-empty').waitFor();

    await page.getByTestId('contact-add').click();
    await fillContact(page.getByTestId('contact-form'), {
      name: 'Bob Builder',
      organisation: 'ACME Scaffolding',
      addresses: [
        { kind: 'sip', label: 'work', value: 'bob@lab.test' },
        { kind: 'phone', label: 'mobile', value: '+44 20 7946 0123' },
      ],
      notes: 'Prefers <b>calls</b> in the morning',
    });
    await page.getByTestId('contact-form-save').click();
    await expect.poll(names(page), { timeout: 5000 }).toEqual(['Bob Builder']);

    // Escape leaves the form, back on the button that opened it.
    await page.getByTestId('contact-add').click();
    await expect.poll(activeTestId(page)).toBe('contact-form-name');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('contact-form').count()).toBe(0);
    await expect.poll(activeTestId(page)).toBe('contact-add');

    await page.getByTestId('contact-add').click();
    await fillContact(page.getByTestId('contact-form'), { name: 'Zoe Zed', addresses: [{ value: 'zoe@lab.test' }], favourite: true });
    await page.getByTestId('contact-form-save').click();
    // A favourite comes first, whatever its name.
    await expect.poll(names(page), { timeout: 5000 }).toEqual(['Zoe Zed', 'Bob Builder']);
    expect(await page.getByTestId('contact-item').first().getAttribute('data-favourite')).toBe('true');

    const bob = page.getByTestId('contact-item').filter({ hasText: 'Bob Builder' });
    expect(await bob.getByTestId('contact-organisation').textContent()).toBe('ACME Scaffolding');
    expect(await bob.getByTestId('contact-address').allTextContents()).toEqual([expect.stringContaining('bob@lab.test'), expect.stringContaining('+44 20 7946 0123')]);
    // Text from the user (or the network) is text: no markup is made of it.
    expect(await bob.getByTestId('contact-notes').textContent()).toBe('Prefers <b>calls</b> in the morning');
    expect(await bob.locator('b').count()).toBe(0);
    // Stored as the form said.
    expect((await core.handlers['contacts.list']({ limit: 10 })).find((c) => c.name === 'Bob Builder')).toMatchObject({
      organisation: 'ACME Scaffolding',
      addresses: [
        { kind: 'sip', label: 'work', value: 'bob@lab.test' },
        { kind: 'phone', label: 'mobile', value: '+44 20 7946 0123' },
      ],
      favourite: false,
    });

    // Live search: by part of a name, an organisation, digits of a number; nothing found says so.
    const search = page.getByTestId('contacts-search');
    await search.fill('build');
    await expect.poll(names(page), { timeout: 5000 }).toEqual(['Bob Builder']);
    await search.fill('scaff');
    await expect.poll(names(page), { timeout: 5000 }).toEqual(['Bob Builder']);
    await search.fill('7946');
    await expect.poll(names(page), { timeout: 5000 }).toEqual(['Bob Builder']);
    await search.fill('ze');
    await expect.poll(names(page), { timeout: 5000 }).toEqual(['Zoe Zed']);
    await search.fill('nobody here');
    await page.getByTestId('contacts-empty').waitFor({ timeout: 5000 });
    await search.fill('');
    await expect.poll(names(page), { timeout: 5000 }).toEqual(['Zoe Zed', 'Bob Builder']);

    // Edit: another organisation, the note cleared, made a favourite.
    await bob.getByTestId('contact-edit').click();
    const form = page.getByTestId('contact-form');
    expect(await form.getByTestId('contact-form-name').inputValue()).toBe('Bob Builder');
    await form.getByTestId('contact-form-organisation').fill('Builders Ltd');
    await form.getByTestId('contact-form-notes').fill('');
    await form.getByTestId('contact-form-favourite').check();
    await form.getByTestId('contact-form-save').click();
    await expect.poll(() => bob.getByTestId('contact-organisation').textContent({ timeout: 1000 }).catch(() => null), { timeout: 5000 }).toBe('Builders Ltd');
    expect(await bob.getByTestId('contact-notes').count()).toBe(0);
    await expect.poll(names(page), { timeout: 5000 }).toEqual(['Bob Builder', 'Zoe Zed']);
    await page.screenshot({ path: join(artifactsDir, 'contacts.png') });

    // Delete asks first; keeping it keeps it.
    const zoe = page.getByTestId('contact-item').filter({ hasText: 'Zoe Zed' });
    await zoe.getByTestId('contact-delete').click();
    await expect.poll(activeTestId(page)).toBe('contact-delete-cancel');
    await page.keyboard.press('Enter');
    await expect.poll(activeTestId(page)).toBe('contact-delete');
    expect(await names(page)()).toEqual(['Bob Builder', 'Zoe Zed']);
    await zoe.getByTestId('contact-delete').click();
    await zoe.getByTestId('contact-delete-confirm').click();
    await expect.poll(names(page), { timeout: 5000 }).toEqual(['Bob Builder']);
    expect((await core.handlers['contacts.list']({ limit: 10 })).map((c) => c.name)).toEqual(['Bob Builder']);
  });

  it('imports a vCard file (a bad card reported by its line, a duplicate skipped) and exports the book as vCard and CSV', async () => {
    const { page } = await registeredPhone();
    await page.getByTestId('nav-contacts').click();
    const vcards = [
      'BEGIN:VCARD', 'VERSION:3.0', 'FN:Zoë Import', 'ORG:Acme', 'TEL;TYPE=CELL:+49 30 1234567', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:4.0', 'FN:Ann <b>Bold</b>', 'IMPP:sip:ann@lab.test', 'PHOTO:http://127.0.0.1:9/ann.jpg', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:4.0', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:3.0', 'FN:Zoë Import', 'ORG:Acme', 'TEL;TYPE=CELL:+49 30 1234567', 'END:VCARD',
    ].join('\r\n');
    await page.getByTestId('contacts-import-file').setInputFiles({ name: 'book.vcf', mimeType: 'text/vcard', buffer: Buffer.from(vcards) });
    await expect.poll(() => page.getByTestId('contacts-notice').textContent(), { timeout: 5000 }).toMatch(/^Imported 2 contacts, skipped 1 already here; 1 line not taken\.$/);
    expect(await page.getByTestId('contacts-import-errors').textContent()).toMatch(/^Line 13: no FN, N or ORG/);
    // A remote photo is not fetched: the contact came in without it, and the page says so.
    expect(await page.getByTestId('contacts-import-warnings').textContent()).toContain('Line 7: photo at http://127.0.0.1:9/ann.jpg not fetched');
    await expect.poll(names(page), { timeout: 5000 }).toEqual(expect.arrayContaining(['Zoë Import', 'Ann <b>Bold</b>']));
    // Markup in a name stays text.
    expect(await page.locator('[data-testid="contact-name"] b').count()).toBe(0);
    for (const [button, name, type] of [['contacts-export-vcard', 'contacts.vcf', /BEGIN:VCARD[\s\S]*FN:Zoë Import/], ['contacts-export-csv', 'contacts.csv', /Zoë Import/]] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
      expect(download.suggestedFilename()).toBe(name);
      const path = await download.path();
      expect(readFileSync(path, 'utf8')).toMatch(type);
    }
  });

  it('a call from bob rings with his contact name; calling and messaging a contact', async () => {
    const bob = await startBaresip({ user: 'bob', kamailio, answerMode: 'auto', accountParams: ';audio_codecs=pcmu' });
    peers.push(bob);
    const { page, core } = await registeredPhone();
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contact-add').click();
    await fillContact(page.getByTestId('contact-form'), { name: 'Robert the Builder', addresses: [{ value: 'sip:bob@lab.test' }] });
    // A file that is no image is refused in the form, with the reason; a PNG is taken.
    const photoInput = page.getByTestId('contact-form-photo');
    await photoInput.setInputFiles({ name: 'bob.png', mimeType: 'image/png', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
    await expect.poll(() => page.getByTestId('contact-form-photo-error').textContent({ timeout: 500 }).catch(() => null), { timeout: 5000 }).toMatch(/not a PNG, JPEG, GIF or WebP image/);
    await photoInput.setInputFiles({ name: 'bob.png', mimeType: 'image/png', buffer: Buffer.from(photoBytes('png')) });
    await page.getByTestId('contact-form-photo-preview').waitFor({ timeout: 5000 });
    await page.getByTestId('contact-form-save').click();
    await expect.poll(names(page), { timeout: 5000 }).toEqual(['Robert the Builder']);
    const listPhoto = page.getByTestId('contact-item').getByTestId('contact-photo');
    expect(await listPhoto.getAttribute('src')).toBe(photoUrl('png'));
    await expect.poll(() => drawn(listPhoto), { timeout: 5000 }).toBe(true);
    // Stored by the core as it was chosen.
    const id = (await page.getByTestId('contact-item').getAttribute('data-contact-id')) ?? '';
    expect(await core.handlers['contacts.photo']({ id })).toEqual({ photo: photoUrl('png') });

    await bob.ctrl.command('dial', 'sip:eve@lab.test');
    const banner = page.getByTestId('incoming-call');
    await banner.waitFor({ timeout: 8000 });
    expect(await banner.getByTestId('incoming-name').textContent()).toBe('Robert the Builder');
    await expect.poll(() => drawn(banner.getByTestId('incoming-photo')), { timeout: 5000 }).toBe(true);
    // The address is still shown under the name.
    expect(await banner.textContent()).toContain('sip:bob@lab.test');
    await page.screenshot({ path: join(artifactsDir, 'contacts-incoming.png') });
    await banner.getByTestId('incoming-decline').click();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });
    await expect.poll(() => page.getByTestId('incoming-call').count(), { timeout: 5000 }).toBe(0);

    // Call from the contact: the Calls screen shows the call by the contact's name.
    bob.ctrl.clearEvents();
    await page.getByTestId('contact-call').first().click();
    const call = page.getByTestId('call-item');
    await expect.poll(() => call.getAttribute('data-state', { timeout: 1000 }).catch(() => null), { timeout: 8000 }).toBe('established');
    expect(await call.getByTestId('call-name').textContent()).toBe('Robert the Builder');
    expect(await call.getByTestId('call-photo').getAttribute('src')).toBe(photoUrl('png'));
    await call.getByTestId('call-hangup').click();
    await bob.ctrl.waitForEvent('CALL_CLOSED', { timeoutMs: 5000 });

    // Message from the contact: the conversation opens under the contact's name.
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contact-message').first().click();
    await expect.poll(() => page.getByTestId('thread-title').textContent({ timeout: 500 }).catch(() => null), { timeout: 5000 }).toBe('Robert the Builder');
    await page.getByTestId('message-input').fill('see you at the site');
    await page.getByTestId('message-input').press('Enter');
    const bubble = page.getByTestId('message-bubble').last();
    await expect.poll(() => bubble.getAttribute('data-state', { timeout: 500 }).catch(() => null), { timeout: 8000 }).toBe('delivered');
    expect(await page.getByTestId('conversation-name').allTextContents()).toEqual(['Robert the Builder']);
  });
});
