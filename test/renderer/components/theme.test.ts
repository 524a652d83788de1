/// <reference lib="dom" />
import { describe, expect, it } from 'vitest';
import { applyTheme, chooseTheme, savedTheme } from '../../../renderer/src/lib/theme.js';

describe('theme', () => {
  it("follows the system until the user picks one, kept for the next start", () => {
    localStorage.clear();
    expect(savedTheme()).toBe('system');
    chooseTheme('dark');
    expect(document.documentElement.dataset['theme']).toBe('dark');
    expect(savedTheme()).toBe('dark');
    chooseTheme('system');
    expect(document.documentElement.dataset['theme']).toBeUndefined();
    localStorage.setItem('softphone.theme', 'purple');
    expect(savedTheme()).toBe('system');
    applyTheme('light');
    expect(document.documentElement.dataset['theme']).toBe('light');
  });
});
