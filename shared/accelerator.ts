/**
 * Electron accelerator strings (`CommandOrControl+Alt+Shift+A`), checked before they reach
 * `globalShortcut.register`, which would throw on a malformed one. A global shortcut takes the
 * key from every other application, so a plain key needs a modifier; only keys no one types
 * (F13–F24, media keys) may stand alone. Shared: the contract validates the user's shortcuts
 * with it, the Electron host checks again before registering.
 */
const modifierNames: Readonly<Record<string, string>> = {
  command: 'command',
  cmd: 'command',
  control: 'control',
  ctrl: 'control',
  commandorcontrol: 'commandorcontrol',
  cmdorctrl: 'commandorcontrol',
  alt: 'alt',
  option: 'alt',
  altgr: 'altgr',
  shift: 'shift',
  super: 'super',
  meta: 'super',
};
const namedKeys = new Set([
  'plus', 'space', 'tab', 'capslock', 'numlock', 'scrolllock', 'backspace', 'delete', 'insert', 'return', 'enter',
  'up', 'down', 'left', 'right', 'home', 'end', 'pageup', 'pagedown', 'escape', 'esc', 'printscreen',
  'num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9',
  'numdec', 'numadd', 'numsub', 'nummult', 'numdiv',
]);
const standaloneKeys = new Set(['volumeup', 'volumedown', 'volumemute', 'medianexttrack', 'mediaprevioustrack', 'mediastop', 'mediaplaypause']);
const keyAliases: Readonly<Record<string, string>> = { return: 'enter', esc: 'escape' };

export function isGlobalAccelerator(accelerator: string): boolean {
  if (accelerator.length === 0 || accelerator.length > 64) return false;
  const parts = accelerator.split('+');
  const key = parts.at(-1)!.toLowerCase();
  const mods = parts.slice(0, -1).map((p) => p.toLowerCase());
  if (mods.some((m) => modifierNames[m] === undefined) || new Set(mods.map((m) => modifierNames[m])).size !== mods.length) return false;
  const fKey = /^f([0-9]{1,2})$/.exec(key);
  const fNumber = fKey === null ? 0 : Number(fKey[1]);
  if (fKey !== null && (fNumber < 1 || fNumber > 24)) return false;
  if (standaloneKeys.has(key) || fNumber >= 13) return true;
  const known = fKey !== null || namedKeys.has(key) || /^[a-z0-9]$/.test(key) || /^[)!@#$%^&*(:;:+=<,_\->.?/~`{\][|\\}'"]$/.test(key);
  return known && mods.length > 0;
}

/**
 * One spelling per key combination (`alt+control+a` for `Ctrl+Alt+A` and `Control+Option+a`):
 * two shortcuts are the same when these are equal.
 */
export function acceleratorKey(accelerator: string): string {
  const parts = accelerator.split('+');
  const key = parts.at(-1)!.toLowerCase();
  const mods = parts.slice(0, -1).map((p) => modifierNames[p.toLowerCase()] ?? p.toLowerCase());
  return [...mods.sort(), keyAliases[key] ?? key].join('+');
}

/** The accelerator a key press makes (a shortcut field records what the user presses), if it is one. */
export function acceleratorOfKeyPress(press: { key: string; code: string; ctrlKey: boolean; altKey: boolean; shiftKey: boolean; metaKey: boolean }): string | undefined {
  const mods = [press.ctrlKey ? 'CommandOrControl' : undefined, press.altKey ? 'Alt' : undefined, press.shiftKey ? 'Shift' : undefined, press.metaKey ? 'Super' : undefined].filter(
    (m): m is string => m !== undefined,
  );
  // The physical key: Shift+1 is "1", not "!"; a letter is its capital.
  const key = /^Key[A-Z]$/.test(press.code)
    ? press.code.slice(3)
    : /^Digit[0-9]$/.test(press.code)
      ? press.code.slice(5)
      : /^F([1-9]|1[0-9]|2[0-4])$/.test(press.key)
        ? press.key
        : ({ ' ': 'Space', ArrowUp: 'Up', ArrowDown: 'Down', ArrowLeft: 'Left', ArrowRight: 'Right', Enter: 'Enter', Escape: 'Escape', Home: 'Home', End: 'End', PageUp: 'PageUp', PageDown: 'PageDown', Insert: 'Insert', Delete: 'Delete' } as Record<string, string>)[press.key];
  if (key === undefined) return undefined;
  const accelerator = [...mods, key].join('+');
  return isGlobalAccelerator(accelerator) ? accelerator : undefined;
}
