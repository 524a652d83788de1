import { describe, expect, it } from 'vitest';
import { acceleratorKey, acceleratorOfKeyPress } from '../../shared/accelerator.js';
import { DEFAULT_SHORTCUTS, Preferences, Shortcuts } from '../../shared/model.js';

const press = (key: string, code: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) => ({
  key,
  code,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  metaKey: false,
  ...mods,
});

describe('accelerators', () => {
  it('spell one key combination one way, whatever the order and aliases', () => {
    expect(acceleratorKey('Ctrl+Alt+A')).toBe(acceleratorKey('Alt+Control+a'));
    expect(acceleratorKey('CmdOrCtrl+Option+Return')).toBe(acceleratorKey('CommandOrControl+Alt+Enter'));
    expect(acceleratorKey('Ctrl+Alt+A')).not.toBe(acceleratorKey('Ctrl+Shift+A'));
  });

  it('are made from the keys pressed in a shortcut field', () => {
    expect(acceleratorOfKeyPress(press('a', 'KeyA', { ctrlKey: true, altKey: true }))).toBe('CommandOrControl+Alt+A');
    expect(acceleratorOfKeyPress(press('!', 'Digit1', { ctrlKey: true, shiftKey: true }))).toBe('CommandOrControl+Shift+1');
    expect(acceleratorOfKeyPress(press('F13', 'F13'))).toBe('F13');
    expect(acceleratorOfKeyPress(press(' ', 'Space', { altKey: true }))).toBe('Alt+Space');
    // A key alone, or a modifier alone, is no global shortcut.
    expect(acceleratorOfKeyPress(press('a', 'KeyA'))).toBeUndefined();
    expect(acceleratorOfKeyPress(press('Control', 'ControlLeft', { ctrlKey: true }))).toBeUndefined();
  });
});

describe('Shortcuts (preference)', () => {
  it('takes the defaults and none for an action', () => {
    expect(Shortcuts.parse(DEFAULT_SHORTCUTS)).toEqual(DEFAULT_SHORTCUTS);
    expect(Shortcuts.parse({ answer: 'F13', hangup: null, mute: null })).toEqual({ answer: 'F13', hangup: null, mute: null });
  });

  it('refuses a malformed shortcut and one used twice, naming the action and why', () => {
    for (const answer of ['A', 'Ctrl+', 'Hyper+A', 'Ctrl+Ctrl+A', 'Ctrl+F25', '']) {
      const result = Shortcuts.safeParse({ answer, hangup: null, mute: null });
      expect(result.success, answer).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['answer']);
      expect(result.error?.issues[0]?.message).toMatch(/^not a usable shortcut: /);
    }
    const twice = Shortcuts.safeParse({ answer: 'Ctrl+Alt+A', hangup: 'F13', mute: 'alt+ctrl+a' });
    expect(twice.error?.issues).toEqual([expect.objectContaining({ path: ['mute'], message: 'alt+ctrl+a is already the shortcut to answer' })]);
    expect(Preferences.partial().safeParse({ shortcuts: { answer: null, hangup: 'Alt+F1', mute: 'Alt+F1' } }).error?.issues[0]?.path).toEqual(['shortcuts', 'mute']);
  });
});
