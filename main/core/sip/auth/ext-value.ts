/**
 * ext-value (RFC 8187 §3.2.1), as RFC 7616 §3.4.4 uses it for `username*`:
 *
 *   ext-value  = charset "'" [ language ] "'" value-chars
 *   value-chars = *( pct-encoded / attr-char )
 *   attr-char  = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
 *
 * Always UTF-8, no language tag: `J%C3%A4s%C3%B8n%20Doe` for "Jäsøn Doe".
 */
const ATTR_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

export function encodeExtValue(value: string): string {
  let out = "UTF-8''";
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && ATTR_CHAR.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
