/**
 * The dialpad's arithmetic: letters to keypad digits (ITU-T E.161), when a typed or pasted entry
 * counts as a phone number, and the DTMF tone pair of each key (ITU-T Q.23) for the local beep.
 */

/** E.161 letter groups: 2 ABC, 3 DEF, … 9 WXYZ. */
export const keypadLetters: Readonly<Record<string, string>> = { '2': 'ABC', '3': 'DEF', '4': 'GHI', '5': 'JKL', '6': 'MNO', '7': 'PQRS', '8': 'TUV', '9': 'WXYZ' };

const letterDigit = new Map(Object.entries(keypadLetters).flatMap(([digit, letters]) => [...letters].map((letter) => [letter, digit] as const)));

/** `FLOWERS` → `3569377`; digits, `*`, `#` and `+` stay; anything else is dropped. */
export function keypadDigits(text: string): string {
  let out = '';
  for (const char of text.toUpperCase()) {
    if (/[0-9*#+]/.test(char)) out += char;
    else out += letterDigit.get(char) ?? '';
  }
  return out;
}

/**
 * What the dial field keeps of what was typed or pasted. An entry that starts like a phone
 * number (a digit, `+` or `(`) and has no `@` or `:` is a number: its letters become digits and
 * its separators (spaces, dashes, dots, brackets, slashes) go — `+1 (800) FLOWERS` →
 * `+18003569377`. Anything else (`bob`, `sip:bob@lab.test`) is a SIP user or address, kept as is.
 */
export function dialEntry(text: string): string {
  const trimmed = text.trim();
  if (!/^[+(\d]/.test(trimmed) || /[@:]/.test(trimmed)) return text;
  if (!/^[\d\sA-Za-z+*#().\-/]*$/.test(trimmed)) return text;
  const digits = keypadDigits(trimmed.replace(/[\s().\-/]/g, ''));
  // A + only leads a number (E.164).
  return digits.slice(0, 1) + digits.slice(1).replace(/\+/g, '');
}

/** Low (row) and high (column) frequencies of each DTMF key, Hz (ITU-T Q.23). */
export const dtmfFrequencies: Readonly<Record<string, readonly [number, number]>> = {
  '1': [697, 1209], '2': [697, 1336], '3': [697, 1477], A: [697, 1633],
  '4': [770, 1209], '5': [770, 1336], '6': [770, 1477], B: [770, 1633],
  '7': [852, 1209], '8': [852, 1336], '9': [852, 1477], C: [852, 1633],
  '*': [941, 1209], '0': [941, 1336], '#': [941, 1477], D: [941, 1633],
};

let context: AudioContext | undefined;

/**
 * A short local beep of the key's DTMF pair, so a press is heard (the digit itself goes to the
 * peer as RFC 4733 events or INFO, not as this sound). Silent where there is no Web Audio.
 */
export function playKeyTone(key: string, durationMs = 120): void {
  const pair = dtmfFrequencies[key.toUpperCase()];
  if (pair === undefined || typeof AudioContext === 'undefined') return;
  context ??= new AudioContext();
  const audio = context;
  if (audio.state === 'suspended') void audio.resume();
  const start = audio.currentTime;
  const stop = start + durationMs / 1000;
  const gain = audio.createGain();
  // A quick fade in and out: no click at either end.
  gain.gain.setValueAtTime(0, start);
  gain.gain.linearRampToValueAtTime(0.08, start + 0.005);
  gain.gain.setValueAtTime(0.08, stop - 0.01);
  gain.gain.linearRampToValueAtTime(0, stop);
  gain.connect(audio.destination);
  for (const frequency of pair) {
    const oscillator = audio.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start(start);
    oscillator.stop(stop);
  }
}
