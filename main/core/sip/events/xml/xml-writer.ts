/**
 * Writing XML for the bodies we send (PIDF, dialog-info, isComposing): escaping, and a small
 * element builder. XML 1.0 §2.4: "&" and "<" never appear literally in character data; in
 * attribute values (always written in double quotes here) '"' is escaped too, and white space
 * other than a space is written as a character reference so it survives normalization (§3.3.3).
 */
export function escapeXmlText(text: string): string {
  return stripInvalid(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeXmlAttribute(value: string): string {
  return escapeXmlText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** An element to write: name as it is to appear (with any prefix), attributes, children. */
export interface XmlOut {
  readonly name: string;
  readonly attributes?: readonly (readonly [string, string | number | undefined])[];
  /** Child elements, or text (escaped when written). */
  readonly children?: readonly (XmlOut | string | undefined)[];
}

/** The element as text, indented by two spaces per level; text-only elements stay on one line. */
export function writeXml(element: XmlOut, indent = ''): string {
  let start = `${indent}<${element.name}`;
  for (const [name, value] of element.attributes ?? []) if (value !== undefined) start += ` ${name}="${escapeXmlAttribute(String(value))}"`;
  const children = (element.children ?? []).filter((c): c is XmlOut | string => c !== undefined);
  if (children.length === 0) return `${start}/>`;
  if (children.every((c) => typeof c === 'string')) return `${start}>${children.map((c) => escapeXmlText(c as string)).join('')}</${element.name}>`;
  const inner = children.map((c) => (typeof c === 'string' ? `${indent}  ${escapeXmlText(c)}` : writeXml(c, `${indent}  `)));
  return `${start}>\n${inner.join('\n')}\n${indent}</${element.name}>`;
}

/** A whole document: the XML declaration, then the root (RFC 3023 §3.2: UTF-8). */
export function writeXmlDocument(root: XmlOut): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${writeXml(root)}\n`;
}

/** Drops characters XML 1.0 §2.2 does not allow (C0 controls other than TAB, LF, CR; U+FFFE/FFFF). */
function stripInvalid(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffe || code === 0xffff) continue;
    if (code >= 0xd800 && code <= 0xdfff) continue;
    out += ch;
  }
  return out;
}
