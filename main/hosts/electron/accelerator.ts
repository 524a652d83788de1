/**
 * Electron accelerator strings (`CommandOrControl+Alt+Shift+A`) checked before they reach
 * `globalShortcut.register`, which would throw on a malformed one. A global shortcut takes the
 * key from every other application, so a plain key needs a modifier; only keys no one types
 * (F13–F24, media keys) may stand alone.
 */
const modifiers = new Set([
  'command', 'cmd', 'control', 'ctrl', 'commandorcontrol', 'cmdorctrl', 'alt', 'option', 'altgr', 'shift', 'super', 'meta',
]);
const namedKeys = new Set([
  'plus', 'space', 'tab', 'capslock', 'numlock', 'scrolllock', 'backspace', 'delete', 'insert', 'return', 'enter',
  'up', 'down', 'left', 'right', 'home', 'end', 'pageup', 'pagedown', 'escape', 'esc', 'printscreen',
  'num0', 'num1', 'num2', 'num3', 'num4', 'num5', 'num6', 'num7', 'num8', 'num9',
  'numdec', 'numadd', 'numsub', 'nummult', 'numdiv',
]);
const standaloneKeys = new Set(['volumeup', 'volumedown', 'volumemute', 'medianexttrack', 'mediaprevioustrack', 'mediastop', 'mediaplaypause']);

export function isGlobalAccelerator(accelerator: string): boolean {
  if (accelerator.length === 0 || accelerator.length > 64) return false;
  const parts = accelerator.split('+');
  const key = parts.at(-1)!.toLowerCase();
  const mods = parts.slice(0, -1).map((p) => p.toLowerCase());
  if (mods.some((m) => !modifiers.has(m)) || new Set(mods).size !== mods.length) return false;
  const fKey = /^f([0-9]{1,2})$/.exec(key);
  const fNumber = fKey === null ? 0 : Number(fKey[1]);
  if (fKey !== null && (fNumber < 1 || fNumber > 24)) return false;
  if (standaloneKeys.has(key) || fNumber >= 13) return true;
  const known = fKey !== null || namedKeys.has(key) || /^[a-z0-9]$/.test(key) || /^[)!@#$%^&*(:;:+=<,_\->.?/~`{\][|\\}'"]$/.test(key);
  return known && mods.length > 0;
}
