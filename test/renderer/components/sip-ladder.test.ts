/// <reference lib="dom" />
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import SipLadder from '../../../renderer/src/components/SipLadder.svelte';
import { callFlow, PHONE, PROXY } from '../sip-flow.js';

describe('SipLadder', () => {
  it('draws one option per message, named with the parties and the label', () => {
    render(SipLadder, { entries: callFlow() });
    const list = screen.getByRole('listbox');
    const options = within(list).getAllByRole('option');
    expect(options.map((o) => o.dataset['label'])).toEqual(['INVITE (SDP)', '100 Trying', '180 Ringing', '200 OK (SDP)', 'ACK', 'BYE', '200 OK']);
    expect(options[0]?.textContent).toContain(`${PHONE} (this phone) to ${PROXY}: INVITE (SDP)`);
    expect(options[2]?.textContent).toContain(`+0.200 s, ${PROXY} to ${PHONE} (this phone): 180 Ringing`);
    expect(options.map((o) => o.dataset['kind'])).toEqual(['request', 'provisional', 'provisional', 'success', 'request', 'request', 'success']);
    // Roving focus: one tab stop.
    expect(options.filter((o) => o.tabIndex === 0)).toHaveLength(1);
  });

  it('shows the whole message as text on click', async () => {
    render(SipLadder, { entries: callFlow() });
    await fireEvent.click(screen.getAllByRole('option')[3]!);
    expect(screen.getAllByRole('option')[3]?.getAttribute('aria-selected')).toBe('true');
    const text = screen.getByTestId('ladder-message').textContent ?? '';
    expect(text).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(text).toContain('m=audio 4000 RTP/AVP 0');
  });

  it('moves with the arrow keys, Home and End, selection following focus', async () => {
    render(SipLadder, { entries: callFlow() });
    const options = () => screen.getAllByRole('option');
    options()[0]!.focus();
    await fireEvent.keyDown(options()[0]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(options()[1]);
    expect(options()[1]?.getAttribute('aria-selected')).toBe('true');
    expect(options()[1]?.tabIndex).toBe(0);
    expect(options()[0]?.tabIndex).toBe(-1);
    await fireEvent.keyDown(options()[1]!, { key: 'End' });
    expect(document.activeElement).toBe(options()[6]);
    await fireEvent.keyDown(options()[6]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(options()[6]);
    await fireEvent.keyDown(options()[6]!, { key: 'Home' });
    expect(document.activeElement).toBe(options()[0]);
    expect(screen.getByTestId('ladder-message').textContent).toMatch(/^INVITE sip:bob@lab\.test/);
  });

  it('renders markup from the network as text', async () => {
    const [invite] = callFlow({ from: '"<img src=x onerror=alert(1)>" <sip:eve@lab.test>;tag=1' });
    render(SipLadder, { entries: [invite!] });
    await fireEvent.click(screen.getAllByRole('option')[0]!);
    expect(screen.getByTestId('ladder-message').textContent).toContain('From: "<img src=x onerror=alert(1)>"');
    expect(document.querySelector('img')).toBeNull();
  });
});
