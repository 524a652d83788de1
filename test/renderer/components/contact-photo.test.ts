/// <reference lib="dom" />
/** Contact photos in the UI: chosen in the form (checked there and in the core), shown in the list, the incoming call and the calls panel. */
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import CallItem from '../../../renderer/src/components/CallItem.svelte';
import ContactForm from '../../../renderer/src/components/ContactForm.svelte';
import IncomingCallBanner from '../../../renderer/src/components/IncomingCallBanner.svelte';
import ContactsScreen from '../../../renderer/src/screens/ContactsScreen.svelte';
import { Contact } from '../../../shared/model.js';
import { photoBytes, photoUrl } from '../../helpers/photos.js';
import { call, fakePhone } from './fake-phone.js';

const pat = Contact.parse({ id: 'c-pat', name: 'Pat', addresses: [{ kind: 'sip', value: 'sip:pat@lab.test' }], photo: photoUrl('png') });

/** Chooses `file` in a file input, as the browser's picker would. */
async function choose(input: HTMLElement, file: File): Promise<void> {
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await fireEvent.change(input);
}

describe('contact photo', () => {
  it('the form reads a chosen image, shows it, and sends it; a file that is no image is refused with the reason', async () => {
    const { store, requests } = fakePhone({
      'contacts.add': (params) => ({ id: 'c-new', favourite: false, presence: false, blf: false, addresses: [], ...params }),
      'contacts.list': () => [],
    });
    let saved: Contact | undefined;
    render(ContactForm, { store, onDone: (contact: Contact | undefined) => (saved = contact) });
    await fireEvent.input(screen.getByTestId('contact-form-name'), { target: { value: 'Sam' } });
    const input = screen.getByTestId('contact-form-photo');
    expect(input.getAttribute('accept')).toBe('image/png,image/jpeg,image/gif,image/webp');

    await choose(input, new File(['%PDF-1.7 not a photo'], 'me.png', { type: 'image/png' }));
    await waitFor(() => expect(screen.getByTestId('contact-form-photo-error').textContent).toBe('the photo is not a PNG, JPEG, GIF or WebP image (it starts with 25 50 44 46)'));
    expect(screen.queryByTestId('contact-form-photo-preview')).toBeNull();

    await choose(input, new File([photoBytes('jpeg')], 'me.jpg', { type: 'image/jpeg' }));
    await waitFor(() => expect(screen.getByTestId('contact-form-photo-preview').getAttribute('src')).toBe(photoUrl('jpeg')));
    expect(screen.queryByTestId('contact-form-photo-error')).toBeNull();
    expect(screen.getByTestId('contact-form-photo-preview').getAttribute('alt')).toBe('');

    await fireEvent.click(screen.getByTestId('contact-form-save'));
    await waitFor(() => expect(saved?.photo).toBe(photoUrl('jpeg')));
    expect(requests.find((r) => r.method === 'contacts.add')?.params).toMatchObject({ name: 'Sam', photo: photoUrl('jpeg') });
  });

  it('removing the photo in the form sends null', async () => {
    const { store, requests } = fakePhone({
      'contacts.update': (params) => ({ ...pat, photo: undefined, ...(params['changes'] as object), id: pat.id }),
      'contacts.list': () => [],
    });
    render(ContactForm, { store, contact: pat, onDone: () => undefined });
    expect(screen.getByTestId('contact-form-photo-preview').getAttribute('src')).toBe(photoUrl('png'));
    await fireEvent.click(screen.getByTestId('contact-form-photo-remove'));
    expect(screen.queryByTestId('contact-form-photo-preview')).toBeNull();
    await fireEvent.click(screen.getByTestId('contact-form-save'));
    await waitFor(() => expect(requests.find((r) => r.method === 'contacts.update')?.params).toMatchObject({ id: 'c-pat', changes: { name: 'Pat', photo: null } }));
  });

  it('the contact list shows the photo beside the name, and none for a contact without', () => {
    const { store } = fakePhone();
    store.contacts.all = [pat, Contact.parse({ id: 'c-sam', name: 'Sam' })];
    render(ContactsScreen, { store, navigate: () => undefined });
    const photos = screen.getAllByTestId('contact-photo');
    expect(photos.map((img) => img.getAttribute('src'))).toEqual([photoUrl('png')]);
    expect(photos[0]?.closest('[data-contact-id]')?.getAttribute('data-contact-id')).toBe('c-pat');
  });

  it('an incoming call and the calls panel show the photo of the contact the caller matched', () => {
    const { store } = fakePhone();
    store.contacts.all = [pat];
    const ringing = call({ remote: { uri: 'sip:pat@lab.test' }, contact: { id: 'c-pat', name: 'Pat' } });
    render(IncomingCallBanner, { call: ringing, store });
    expect(screen.getByTestId('incoming-photo').getAttribute('src')).toBe(photoUrl('png'));
    render(CallItem, { call: { ...ringing, state: 'established' }, calls: [ringing], store, now: Date.now() });
    expect(screen.getByTestId('call-photo').getAttribute('src')).toBe(photoUrl('png'));
  });

  it('draws nothing for an unmatched caller, or a photo that is not an image data: URL', () => {
    const { store } = fakePhone();
    store.contacts.all = [{ ...pat, photo: 'https://tracker.example/p.gif' }];
    render(IncomingCallBanner, { call: call({ contact: { id: 'c-pat', name: 'Pat' } }), store });
    render(IncomingCallBanner, { call: call({ id: 'call-2' }), store });
    expect(document.querySelector('img')).toBeNull();
  });
});
