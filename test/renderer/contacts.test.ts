import { describe, expect, it } from 'vitest';
import { Contact, type WatchedEntity } from '../../shared/model.js';
import {
  addressOfRecord,
  addressText,
  contactChanges,
  contactFields,
  contactFor,
  contactForm,
  emptyContactForm,
  firstSipAddress,
  readPhotoFile,
  sameAddress,
  sortContacts,
  watchTarget,
  watchedEntityOf,
} from '../../renderer/src/lib/contacts.js';
import { MAX_PHOTO_BYTES, PhotoError } from '../../shared/photo.js';
import { photoBytes, photoUrl } from '../helpers/photos.js';

function contact(id: string, fields: Partial<Contact> = {}): Contact {
  return Contact.parse({ id, name: id, ...fields });
}

function watched(uri: string, fields: Partial<WatchedEntity> = {}): WatchedEntity {
  return { uri, presence: true, blf: false, status: 'available', line: 'unknown', ...fields };
}

describe('contact order', () => {
  it('lists favourites first, then by name ignoring case and accents', () => {
    const list = [contact('a', { name: 'émile' }), contact('b', { name: 'Zoe', favourite: true }), contact('c', { name: 'Adam' }), contact('d', { name: 'bob', favourite: true })];
    expect(sortContacts(list).map((c) => c.name)).toEqual(['bob', 'Zoe', 'Adam', 'émile']);
  });
});

describe('addresses of record', () => {
  it('adds the sip scheme, takes bare users and numbers at the domain, drops parameters, lowers the host', () => {
    expect(addressOfRecord('bob@Lab.Test')).toBe('sip:bob@lab.test');
    expect(addressOfRecord('sip:bob@LAB.test;transport=tcp')).toBe('sip:bob@lab.test');
    expect(addressOfRecord('SIPS:bob@lab.test?subject=x')).toBe('sips:bob@lab.test');
    expect(addressOfRecord('bob', 'lab.test')).toBe('sip:bob@lab.test');
    expect(addressOfRecord('+44 (20) 7946-0000', 'lab.test')).toBe('sip:+442079460000@lab.test');
    expect(addressOfRecord('tel:+4420;phone-context=x', 'lab.test')).toBe('sip:+4420@lab.test');
  });

  it('cannot place a bare user without a domain, nor an empty address', () => {
    expect(addressOfRecord('bob')).toBeUndefined();
    expect(addressOfRecord('  ')).toBeUndefined();
    expect(addressOfRecord('sip:')).toBeUndefined();
    expect(addressOfRecord('sip:bob', 'lab.test')).toBeUndefined();
  });

  it('compares user parts as they are (RFC 3261 §19.1.4)', () => {
    expect(sameAddress('sip:Bob@lab.test', 'bob@lab.test')).toBe(false);
    expect(sameAddress('bob', 'sip:bob@LAB.TEST', 'lab.test')).toBe(true);
  });

  it('shows addresses without the sip scheme', () => {
    expect(addressText('sip:bob@lab.test')).toBe('bob@lab.test');
    expect(addressText('+4420')).toBe('+4420');
  });
});

describe('watching a contact', () => {
  const bob = contact('bob', {
    name: 'Bob',
    addresses: [
      { kind: 'phone', value: '+4420' },
      { kind: 'sip', value: 'bob@lab.test' },
      { kind: 'sip', value: 'robert@elsewhere.test' },
    ],
    presence: true,
  });

  it('is at the first SIP address, and only with presence or a busy lamp asked for', () => {
    expect(firstSipAddress(bob)).toBe('bob@lab.test');
    expect(watchTarget(bob)).toBe('bob@lab.test');
    expect(watchTarget({ ...bob, presence: false })).toBeUndefined();
    expect(watchTarget({ ...bob, presence: false, blf: true })).toBe('bob@lab.test');
    expect(watchTarget({ ...bob, addresses: [{ kind: 'phone', value: '100' }] })).toBeUndefined();
  });

  it('finds the watched entity the core normalised', () => {
    const entity = watched('sip:bob@lab.test', { status: 'busy' });
    expect(watchedEntityOf(bob, [watched('sip:carol@lab.test'), entity], 'lab.test')).toBe(entity);
    expect(watchedEntityOf({ ...bob, presence: false }, [entity])).toBeUndefined();
  });

  it('finds the contact of an address: any of its numbers or SIP addresses', () => {
    expect(contactFor('sip:robert@elsewhere.test', [contact('x'), bob])?.id).toBe('bob');
    expect(contactFor('+4420', [bob], 'lab.test')?.id).toBe('bob');
    expect(contactFor('sip:nobody@lab.test', [bob])).toBeUndefined();
  });
});

describe('the contact form', () => {
  it('starts with one empty SIP address row', () => {
    expect(emptyContactForm().addresses).toEqual([{ kind: 'sip', label: '', value: '' }]);
  });

  it('sends trimmed fields, drops empty rows and empty optional text when adding', () => {
    const form = { ...emptyContactForm(), name: '  Bob ', organisation: ' ', notes: '', favourite: true };
    form.addresses = [
      { kind: 'sip', label: ' work ', value: ' bob@lab.test ' },
      { kind: 'phone', label: '', value: '   ' },
      { kind: 'phone', label: '', value: '100' },
    ];
    expect(contactFields(form)).toEqual({
      name: 'Bob',
      addresses: [
        { kind: 'sip', label: 'work', value: 'bob@lab.test' },
        { kind: 'phone', value: '100' },
      ],
      favourite: true,
      presence: false,
      blf: false,
    });
  });

  it('clears an emptied organisation and note on update (contacts.update keeps fields left out)', () => {
    const bob = contact('bob', { name: 'Bob', organisation: 'ACME', notes: 'likes tea', addresses: [{ kind: 'sip', label: 'work', value: 'bob@lab.test' }] });
    const form = contactForm(bob);
    expect(form).toEqual({ name: 'Bob', organisation: 'ACME', addresses: [{ kind: 'sip', label: 'work', value: 'bob@lab.test' }], favourite: false, presence: false, blf: false, notes: 'likes tea', photo: '', photoChanged: false });
    form.organisation = '';
    form.notes = '';
    expect(contactFields(form, true)).toMatchObject({ organisation: '', notes: '' });
  });
});

describe('the contact photo in the form', () => {
  it('sends the photo only when it was changed: chosen as its data: URL, removed as null', () => {
    const pat = contact('pat', { name: 'Pat', photoTag: '0123456789abcdef' });
    const form = contactForm(pat);
    // The stored photo is not in the form: an update without a change leaves it alone.
    expect(contactChanges(form)).not.toHaveProperty('photo');
    form.photo = photoUrl('png');
    form.photoChanged = true;
    expect(contactChanges(form).photo).toBe(photoUrl('png'));
    form.photo = '';
    expect(contactChanges(form)).toMatchObject({ name: 'Pat', photo: null });
    const fresh = { ...emptyContactForm(), name: 'Sam' };
    expect(contactFields(fresh)).not.toHaveProperty('photo');
    expect(contactFields({ ...fresh, photo: photoUrl('gif'), photoChanged: true }).photo).toBe(photoUrl('gif'));
  });

  it('reads a chosen file as a data: URL typed by its bytes, whatever its name or type says', async () => {
    expect(await readPhotoFile(new Blob([photoBytes('gif')], { type: 'image/png' }))).toBe(photoUrl('gif'));
    expect(await readPhotoFile(new Blob([photoBytes('webp')]))).toBe(photoUrl('webp'));
  });

  it('refuses a file that is no image, or too big before reading it, with the reason', async () => {
    await expect(readPhotoFile(new Blob(['<svg xmlns="http://www.w3.org/2000/svg"/>'], { type: 'image/svg+xml' }))).rejects.toThrowError(
      new PhotoError('the photo is not a PNG, JPEG, GIF or WebP image (it starts with 3c 73 76 67)'),
    );
    const big = new Uint8Array(MAX_PHOTO_BYTES + 1024);
    big.set(photoBytes('png'));
    await expect(readPhotoFile(new Blob([big]))).rejects.toThrowError('the photo is 257 KB: at most 256 KB');
    await expect(readPhotoFile(new Blob([]))).rejects.toThrowError('the photo is empty');
  });
});
