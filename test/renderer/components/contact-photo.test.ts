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

const pat = Contact.parse({ id: 'c-pat', name: 'Pat', addresses: [{ kind: 'sip', value: 'sip:pat@lab.test' }], photoTag: '0123456789abcdef' });
/** The core's contacts.photo for pat. */
const photos = { 'contacts.photo': (params: Record<string, unknown>) => (params['id'] === 'c-pat' ? { photo: photoUrl('png') } : {}) };

/** Chooses `file` in a file input, as the browser's picker would. */
async function choose(input: HTMLElement, file: File): Promise<void> {
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await fireEvent.change(input);
}

describe('contact photo', () => {
  it('the form reads a chosen image, shows it, and sends it; a file that is no image is refused with the reason', async () => {
    const { store, requests } = fakePhone({
      'contacts.add': ({ photo: _photo, ...params }) => ({ id: 'c-new', favourite: false, presence: false, blf: false, addresses: [], photoTag: 'fedcba9876543210', ...params }),
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
    await waitFor(() => expect(saved?.photoTag).toBe('fedcba9876543210'));
    expect(requests.find((r) => r.method === 'contacts.add')?.params).toMatchObject({ name: 'Sam', photo: photoUrl('jpeg') });
  });

  it("editing shows the contact's photo (fetched); saving other changes leaves it; removing it sends null", async () => {
    const { store, requests } = fakePhone({
      ...photos,
      'contacts.update': () => ({ ...pat, photoTag: undefined }),
      'contacts.list': () => [],
    });
    const { unmount } = render(ContactForm, { store, contact: pat, onDone: () => undefined });
    await waitFor(() => expect(screen.getByTestId('contact-form-photo-preview').getAttribute('src')).toBe(photoUrl('png')));
    await fireEvent.click(screen.getByTestId('contact-form-save'));
    await waitFor(() => expect(requests.filter((r) => r.method === 'contacts.update')).toHaveLength(1));
    expect(requests.find((r) => r.method === 'contacts.update')?.params['changes']).not.toHaveProperty('photo');
    unmount();

    render(ContactForm, { store, contact: pat, onDone: () => undefined });
    // Fetched once: the second form has it at once.
    expect(screen.getByTestId('contact-form-photo-preview').getAttribute('src')).toBe(photoUrl('png'));
    expect(requests.filter((r) => r.method === 'contacts.photo')).toHaveLength(1);
    await fireEvent.click(screen.getByTestId('contact-form-photo-remove'));
    expect(screen.queryByTestId('contact-form-photo-preview')).toBeNull();
    await fireEvent.click(screen.getByTestId('contact-form-save'));
    await waitFor(() => expect(requests.filter((r) => r.method === 'contacts.update').at(-1)?.params).toMatchObject({ id: 'c-pat', changes: { name: 'Pat', photo: null } }));
  });

  it('the contact list shows the photo beside the name once fetched, and asks for none a contact lacks', async () => {
    const { store, requests } = fakePhone(photos);
    store.contacts.all = [pat, Contact.parse({ id: 'c-sam', name: 'Sam' })];
    render(ContactsScreen, { store, navigate: () => undefined });
    await waitFor(() => expect(screen.getAllByTestId('contact-photo').map((img) => img.getAttribute('src'))).toEqual([photoUrl('png')]));
    expect(screen.getByTestId('contact-photo').closest('[data-contact-id]')?.getAttribute('data-contact-id')).toBe('c-pat');
    expect(requests.filter((r) => r.method === 'contacts.photo').map((r) => r.params)).toEqual([{ id: 'c-pat' }]);
  });

  it('an incoming call and the calls panel show the photo of the contact the caller matched', async () => {
    const { store } = fakePhone(photos);
    store.contacts.all = [pat];
    const ringing = call({ remote: { uri: 'sip:pat@lab.test' }, contact: { id: 'c-pat', name: 'Pat' } });
    render(IncomingCallBanner, { call: ringing, store });
    await waitFor(() => expect(screen.getByTestId('incoming-photo').getAttribute('src')).toBe(photoUrl('png')));
    render(CallItem, { call: { ...ringing, state: 'established' }, calls: [ringing], store, now: Date.now() });
    expect(screen.getByTestId('call-photo').getAttribute('src')).toBe(photoUrl('png'));
  });

  it('draws nothing for an unmatched caller, or a photo that is not an image data: URL', async () => {
    const { store, requests } = fakePhone({ 'contacts.photo': () => ({ photo: 'https://tracker.example/p.gif' }) });
    store.contacts.all = [pat];
    render(IncomingCallBanner, { call: call({ contact: { id: 'c-pat', name: 'Pat' } }), store });
    render(IncomingCallBanner, { call: call({ id: 'call-2' }), store });
    await waitFor(() => expect(requests.filter((r) => r.method === 'contacts.photo')).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(document.querySelector('img')).toBeNull();
  });
});
