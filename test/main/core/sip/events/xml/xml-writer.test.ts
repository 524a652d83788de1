/** Writing XML: escaping, and output the parser reads back. */
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../../../../main/core/sip/events/xml/xml-parser.js';
import { escapeXmlAttribute, escapeXmlText, writeXmlDocument } from '../../../../../../main/core/sip/events/xml/xml-writer.js';

describe('xml writer', () => {
  it('escapes text and attributes', () => {
    expect(escapeXmlText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(escapeXmlAttribute('say "hi"\n')).toBe('say &quot;hi&quot;&#10;');
    expect(escapeXmlText('bell\u0007')).toBe('bell');
  });

  it('writes a document the parser reads back, hostile text included', () => {
    const hostile = '</note><script>&amp; "quotes" \'apos\'';
    const text = writeXmlDocument({
      name: 'r',
      attributes: [['xmlns', 'urn:r'], ['a', hostile], ['skipped', undefined]],
      children: [{ name: 'note', children: [hostile] }, { name: 'empty' }, undefined],
    });
    const root = parseXml(text, 'test');
    expect(root.attribute('a')).toBe(hostile);
    expect(root.attribute('skipped')).toBeUndefined();
    expect(root.element('urn:r', 'note')!.text).toBe(hostile);
    expect(root.element('urn:r', 'empty')).toBeDefined();
  });
});
