import { describe, expect, it } from 'vitest';
import { quote, scanQuotedString, unquote } from '../../../../../main/core/sip/index.js';

describe('quoted-string (RFC 3261 §25.1)', () => {
  it('scans to the closing quote, across quoted-pairs', () => {
    const text = '"J Rosenberg \\\\\\"" <sip:x>';
    const end = scanQuotedString(text, 0);
    expect(end).toBe(18);
    expect(unquote(text, 0, end)).toBe('J Rosenberg \\"');
  });

  it('keeps control characters written as quoted-pairs (RFC 4475 §3.1.1.2)', () => {
    const text = '"BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f"';
    expect(unquote(text, 0, scanQuotedString(text, 0))).toBe('BEL:\x07 NUL:\x00 DEL:\x7f');
  });

  it.each(['"unterminated', '"ends in a backslash\\', '"line\r\nbreak"', '"pair of a non-ASCII \\é"'])('refuses %j', (text) => {
    expect(scanQuotedString(text, 0)).toBe(-1);
  });

  it('quotes a value and round-trips it', () => {
    const value = 'Say "hi" \\ wave';
    const quoted = quote(value);
    expect(quoted).toBe('"Say \\"hi\\" \\\\ wave"');
    expect(unquote(quoted, 0, scanQuotedString(quoted, 0))).toBe(value);
    expect(() => quote('a\r\nb')).toThrow(RangeError);
  });
});
