/**
 * Light or dark: the OS's choice (prefers-color-scheme) unless the user picks one in Settings.
 * The choice is this device's, kept in localStorage, and applied as `data-theme` on <html>,
 * which app.css reads.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'softphone.theme';

export function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark';
}

function storage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled for this origin
  }
}

export function savedTheme(): ThemeChoice {
  const value = storage()?.getItem(KEY);
  return isThemeChoice(value) ? value : 'system';
}

export function applyTheme(choice: ThemeChoice, root: HTMLElement = document.documentElement): void {
  if (choice === 'system') delete root.dataset['theme'];
  else root.dataset['theme'] = choice;
}

export function chooseTheme(choice: ThemeChoice): void {
  applyTheme(choice);
  storage()?.setItem(KEY, choice);
}
