/**
 * Dial-plan patterns (the Asterisk extension-pattern habit PBX users know): `X` any digit,
 * `Z` 1–9, `N` 2–9, digits, `*`, `#` and `+` as themselves, a final `.` for one or more further
 * digits. The pattern is compiled character by character into an anchored expression with no
 * nesting, so no pattern a user types can make matching slow or match more than it says.
 */
const classes: Readonly<Record<string, string>> = { X: '[0-9]', Z: '[1-9]', N: '[2-9]' };

export class DialPatternError extends Error {
  override readonly name = 'DialPatternError';
}

export function compileDialPattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '.' && i === pattern.length - 1 && i > 0) source += '[0-9*#]+';
    else if (classes[c] !== undefined) source += classes[c];
    else if (/[0-9]/.test(c)) source += c;
    else if (c === '*' || c === '#' || (c === '+' && i === 0)) source += `\\${c}`;
    else throw new DialPatternError(`dial pattern ${JSON.stringify(pattern)}: ${JSON.stringify(c)} at ${i + 1} is not a digit, *, #, X, Z, N or a final .`);
  }
  if (source === '') throw new DialPatternError('a dial pattern cannot be empty');
  return new RegExp(`^${source}$`);
}
