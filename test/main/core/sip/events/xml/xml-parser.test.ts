/** The strict XML parser: well-formedness, namespaces, and what it refuses on purpose. */
import { describe, expect, it } from 'vitest';
import { EventBodyError } from '../../../../../../main/core/sip/events/event-body-error.js';
import { parseXml } from '../../../../../../main/core/sip/events/xml/xml-parser.js';

const parse = (text: string) => parseXml(text, 'test');

describe('parseXml', () => {
  it('resolves default and prefixed namespaces, and the predefined xml prefix', () => {
    const root = parse(
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- hi --><a:root xmlns:a="urn:a" xmlns="urn:d" b:x="1" y="2" xmlns:b="urn:b">' +
        '<child xml:lang="en">t&amp;&lt;&#65;&#x42;<![CDATA[<raw>]]></child><a:other/><inner xmlns=""/></a:root>',
    );
    expect(root.is('urn:a', 'root')).toBe(true);
    expect(root.attribute('y')).toBe('2');
    expect(root.attribute('x', 'urn:b')).toBe('1');
    expect(root.attribute('x')).toBeUndefined();
    const child = root.element('urn:d', 'child')!;
    expect(child.text).toBe('t&<AB<raw>');
    expect(child.attribute('lang', 'http://www.w3.org/XML/1998/namespace')).toBe('en');
    expect(root.element('urn:a', 'other')).toBeDefined();
    expect(root.element(undefined, 'inner')).toBeDefined();
  });

  it('normalizes white space in attribute values and line ends in text', () => {
    const root = parse('<r a="x\ty\nz">one\r\ntwo</r>');
    expect(root.attribute('a')).toBe('x y z');
    expect(root.text).toBe('one\ntwo');
  });

  it('accepts a byte order mark and a trailing comment or PI', () => {
    expect(parse('\uFEFF<r/><!-- end --><?pi x?>\n').name).toBe('r');
  });

  it.each([
    ['a DOCTYPE (entity expansion, external entities)', '<!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>'],
    ['a DOCTYPE inside', '<r><!DOCTYPE x></r>'],
    ['an undefined entity', '<r>&nbsp;</r>'],
    ['an external-looking entity', '<r>&xxe;</r>'],
    ['a bad character reference', '<r>&#0;</r>'],
    ['a reference without ;', '<r>&amp</r>'],
    ['a mismatched end tag', '<r><a></b></r>'],
    ['an unclosed element', '<r><a></r>'],
    ['two roots', '<r/><s/>'],
    ['text outside the root', '<r/>junk'],
    ['no root', '   '],
    ['an undeclared prefix', '<p:r/>'],
    ['an undeclared attribute prefix', '<r p:a="1"/>'],
    ['a duplicate attribute', '<r a="1" a="2"/>'],
    ['a duplicate attribute by namespace', '<r xmlns:p="urn:x" xmlns:q="urn:x" p:a="1" q:a="2"/>'],
    ['an unquoted attribute', '<r a=1/>'],
    ['"<" in an attribute', '<r a="<"/>'],
    ['"--" in a comment', '<r><!-- a -- b --></r>'],
    ['"]]>" in text', '<r>a]]>b</r>'],
    ['a control character', '<r>\u0001</r>'],
    ['an XML declaration not at the start', '<r><?xml version="1.0"?></r>'],
    ['a bad name', '<1r/>'],
    ['a name with two colons', '<a:b:c xmlns:a="urn:a"/>'],
    ['binding xmlns', '<r xmlns:xmlns="urn:x"/>'],
    ['attributes run together', '<r a="1"b="2"/>'],
  ])('refuses %s', (_what, text) => {
    expect(() => parse(text)).toThrow(EventBodyError);
  });

  it('refuses documents nested too deep, without recursion', () => {
    const deep = '<a>'.repeat(100_000) + '</a>'.repeat(100_000);
    expect(() => parse(deep)).toThrow(/nested too deep/);
  });

  it('refuses too many elements and too many attributes', () => {
    expect(() => parseXml(`<r>${'<a/>'.repeat(20)}</r>`, 'test', { maxDepth: 8, maxElements: 10, maxAttributes: 4 })).toThrow(/too many elements/);
    expect(() => parseXml('<r a="1" b="2" c="3" d="4" e="5"/>', 'test', { maxDepth: 8, maxElements: 10, maxAttributes: 4 })).toThrow(/too many attributes/);
  });

  it('errors name the format and carry status 400', () => {
    try {
      parseXml('<r>', 'pidf');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EventBodyError);
      expect((error as EventBodyError).format).toBe('pidf');
      expect((error as EventBodyError).statusCode).toBe(400);
    }
  });
});
