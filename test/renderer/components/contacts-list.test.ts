/// <reference lib="dom" />
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import ContactsScreen from '../../../renderer/src/screens/ContactsScreen.svelte';
import type { Contact } from '../../../shared/model.js';
import { fakePhone } from './fake-phone.js';

const many: Contact[] = Array.from({ length: 1000 }, (_, i) => ({
  id: `c${String(i).padStart(4, '0')}`,
  name: `Contact ${String(i).padStart(4, '0')}`,
  addresses: [{ kind: 'sip', value: `sip:user${i}@lab.test` }],
  favourite: false,
  presence: false,
  blf: false,
}));

describe('contacts list', () => {
  it('draws only the contacts in view of a thousand, and others once scrolled to', async () => {
    const { store } = fakePhone();
    store.contacts.all = many;
    render(ContactsScreen, { store, navigate: () => undefined });
    const drawn = () => screen.getAllByTestId('contact-name').map((e) => e.textContent);
    expect(drawn().length).toBeGreaterThan(3);
    expect(drawn().length).toBeLessThan(30);
    expect(drawn()[0]).toBe('Contact 0000');
    const list = screen.getByRole('list', { name: 'All contacts' });
    const scroller = list.parentElement!;
    scroller.scrollTop = 500 * 120;
    await fireEvent.scroll(scroller);
    expect(drawn()).toContain('Contact 0500');
    expect(drawn()).not.toContain('Contact 0000');
    expect(drawn().length).toBeLessThan(30);
  });
});
