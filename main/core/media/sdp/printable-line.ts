/** No control characters but horizontal tab (RFC 4566 §5: text fields exclude NUL, CR and LF). */
export function isPrintableLine(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f) return false;
  }
  return true;
}
