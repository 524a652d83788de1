/**
 * A small, strict, namespace-aware XML parser for the event-package bodies (PIDF, dialog-info,
 * isComposing): XML 1.0 well-formedness for elements, attributes, character and predefined
 * entity references, CDATA, comments and processing instructions, with Namespaces in XML 1.0
 * resolved (§3–§6 there).
 *
 * Refused on purpose, so a peer cannot make us do much work or reach anything: any document
 * type declaration (`<!DOCTYPE`, hence no entity definitions — no "billion laughs", no external
 * entities), entities other than the five predefined ones, documents deeper than `maxDepth`,
 * with more than `maxElements` elements or `maxAttributes` attributes on one element. Input
 * size is the caller's limit (`bodyText`). Every failure is an `EventBodyError` naming `format`.
 */
import { malformedBody } from '../event-body-error.js';
import { XmlElement, type XmlAttribute } from './xml-element.js';

export interface XmlLimits {
  readonly maxDepth: number;
  readonly maxElements: number;
  readonly maxAttributes: number;
}

export const defaultXmlLimits: XmlLimits = { maxDepth: 32, maxElements: 4096, maxAttributes: 32 };

/** Namespaces in XML §3: the `xml` prefix is bound by definition. */
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** XML 1.0 §2.3 NameStartChar / NameChar, without ":" (names are split at it for namespaces). */
const NAME_START = /[A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;
const NAME_CHAR = /[-.0-9A-Za-z_\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/;

interface RawAttribute {
  readonly qname: string;
  readonly value: string;
}

interface OpenElement {
  readonly qname: string;
  readonly element: XmlElement;
  readonly scope: ReadonlyMap<string, string>;
}

export function parseXml(text: string, format: string, limits: XmlLimits = defaultXmlLimits): XmlElement {
  return new XmlParser(text, format, limits).document();
}

class XmlParser {
  private pos = 0;
  private elements = 0;

  constructor(
    private readonly text: string,
    private readonly format: string,
    private readonly limits: XmlLimits,
  ) {}

  /** XML §2.1: document ::= prolog element Misc*. */
  document(): XmlElement {
    if (this.text.startsWith('\uFEFF')) this.pos = 1;
    if (this.text.startsWith('<?xml', this.pos) && /\s/.test(this.text[this.pos + 5] ?? '')) this.skipPast('?>', 'unterminated XML declaration');
    this.misc();
    if (this.text.startsWith('<!DOCTYPE', this.pos)) this.fail('document type declarations are refused');
    if (this.text[this.pos] !== '<') this.fail('no root element');
    const root = this.elementTree();
    this.misc();
    if (this.pos < this.text.length) this.fail('content after the root element');
    return root;
  }

  /** Comments, processing instructions and white space between the top-level parts. */
  private misc(): void {
    for (;;) {
      this.skipSpace();
      if (this.text.startsWith('<!--', this.pos)) this.comment();
      else if (this.text.startsWith('<?', this.pos)) this.processingInstruction();
      else return;
    }
  }

  /** The root element and everything in it, iteratively (no recursion on untrusted depth). */
  private elementTree(): XmlElement {
    const stack: OpenElement[] = [];
    const rootScope = new Map<string, string>([['xml', XML_NAMESPACE]]);
    let root: XmlElement | undefined;
    for (;;) {
      const parent = stack[stack.length - 1];
      if (parent === undefined && root !== undefined) return root;
      if (this.pos >= this.text.length) this.fail('unterminated element');
      if (this.text.startsWith('</', this.pos)) {
        if (parent === undefined) this.fail('end tag without a start tag');
        this.pos += 2;
        const qname = this.qname();
        this.skipSpace();
        this.expect('>');
        if (qname !== parent.qname) this.fail('mismatched end tag');
        stack.pop();
        continue;
      }
      if (this.text[this.pos] === '<' && parent !== undefined) {
        if (this.text.startsWith('<!--', this.pos)) {
          this.comment();
          continue;
        }
        if (this.text.startsWith('<![CDATA[', this.pos)) {
          const end = this.text.indexOf(']]>', this.pos + 9);
          if (end < 0) this.fail('unterminated CDATA section');
          parent.element.children.push(this.text.slice(this.pos + 9, end));
          this.pos = end + 3;
          continue;
        }
        if (this.text.startsWith('<?', this.pos)) {
          this.processingInstruction();
          continue;
        }
        if (this.text.startsWith('<!', this.pos)) this.fail('markup declarations are refused');
      }
      if (this.text[this.pos] === '<') {
        if (stack.length >= this.limits.maxDepth) this.fail('elements nested too deep');
        if (++this.elements > this.limits.maxElements) this.fail('too many elements');
        const open = this.startTag(parent?.scope ?? rootScope);
        if (parent === undefined) root = open.element;
        else parent.element.children.push(open.element);
        if (!open.empty) stack.push(open);
        continue;
      }
      if (parent === undefined) this.fail('text outside the root element');
      parent.element.children.push(this.charData());
    }
  }

  /** XML §3.1 STag / EmptyElemTag, with its namespace declarations applied (Namespaces §6). */
  private startTag(inherited: ReadonlyMap<string, string>): OpenElement & { readonly empty: boolean } {
    this.pos += 1;
    const qname = this.qname();
    const raw: RawAttribute[] = [];
    for (;;) {
      const spaced = this.skipSpace();
      const c = this.text[this.pos];
      if (c === '>' || c === '/') break;
      if (!spaced) this.fail('attributes must be separated by white space');
      if (raw.length >= this.limits.maxAttributes) this.fail('too many attributes');
      const name = this.qname();
      this.skipSpace();
      this.expect('=');
      this.skipSpace();
      if (raw.some((a) => a.qname === name)) this.fail('duplicate attribute');
      raw.push({ qname: name, value: this.attributeValue() });
    }
    const empty = this.text[this.pos] === '/';
    if (empty) this.pos += 1;
    this.expect('>');
    let scope: Map<string, string> | undefined;
    for (const a of raw) {
      if (a.qname === 'xmlns' || a.qname.startsWith('xmlns:')) {
        const prefix = a.qname === 'xmlns' ? '' : a.qname.slice(6);
        if (prefix === 'xmlns' || (prefix === 'xml' && a.value !== XML_NAMESPACE)) this.fail('reserved namespace prefix');
        if (prefix !== '' && a.value === '') this.fail('empty namespace name for a prefix');
        scope ??= new Map(inherited);
        scope.set(prefix, a.value);
      }
    }
    const names = scope ?? inherited;
    const [prefix, local] = this.split(qname);
    const namespace = this.resolve(names, prefix, true);
    const attributes: XmlAttribute[] = [];
    for (const a of raw) {
      const [attrPrefix, attrLocal] = this.split(a.qname);
      const isDeclaration = a.qname === 'xmlns' || attrPrefix === 'xmlns';
      // Namespaces §6.2: "The namespace name for an unprefixed attribute name always has no value."
      const attrNamespace = isDeclaration ? XMLNS_NAMESPACE : attrPrefix === '' ? undefined : this.resolve(names, attrPrefix, false);
      if (!isDeclaration && attributes.some((b) => b.name === attrLocal && b.namespace === attrNamespace)) this.fail('duplicate attribute');
      attributes.push({ name: attrLocal, namespace: attrNamespace, value: a.value });
    }
    return { qname, element: new XmlElement(local, namespace, attributes, []), scope: names, empty };
  }

  private resolve(scope: ReadonlyMap<string, string>, prefix: string, isElement: boolean): string | undefined {
    const namespace = scope.get(prefix);
    if (namespace === undefined && prefix !== '') this.fail('undeclared namespace prefix');
    if (!isElement && prefix === '') return undefined;
    return namespace === '' ? undefined : namespace;
  }

  private split(qname: string): [string, string] {
    const colon = qname.indexOf(':');
    if (colon < 0) return ['', qname];
    const prefix = qname.slice(0, colon);
    const local = qname.slice(colon + 1);
    if (local.includes(':') || prefix === '' || local === '') this.fail('bad qualified name');
    return [prefix, local];
  }

  /** A Name with at most one colon (Namespaces §3 QName). */
  private qname(): string {
    const start = this.pos;
    const first = this.text[this.pos] ?? '';
    if (!NAME_START.test(first)) this.fail('bad name');
    this.pos += 1;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === ':' || NAME_START.test(c) || NAME_CHAR.test(c)) this.pos += 1;
      else break;
    }
    return this.text.slice(start, this.pos);
  }

  /** XML §2.3 AttValue, with references replaced and white space normalized (§3.3.3). */
  private attributeValue(): string {
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'") this.fail('attribute value must be quoted');
    this.pos += 1;
    let value = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('unterminated attribute value');
      this.pos += 1;
      if (c === quote) return value;
      if (c === '<') this.fail('"<" in an attribute value');
      if (c === '&') value += this.reference();
      else if (c === '\t' || c === '\n' || c === '\r') value += ' ';
      else value += this.checkChar(c);
    }
  }

  /** XML §2.4 CharData up to the next "<", with references replaced. */
  private charData(): string {
    let text = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === '<') break;
      this.pos += 1;
      if (c === '&') text += this.reference();
      else if (c === '>' && this.text.startsWith(']]>', this.pos - 3)) this.fail('"]]>" in character data');
      else text += this.checkChar(c);
    }
    // XML §2.11: line ends are normalized to LF.
    return text.replace(/\r\n?/g, '\n');
  }

  /** XML §4.1: `&#10;`, `&#x1F600;`, or one of the five predefined entities; nothing else. */
  private reference(): string {
    const end = this.text.indexOf(';', this.pos);
    if (end < 0 || end - this.pos > 10) this.fail('bad reference');
    const name = this.text.slice(this.pos, end);
    this.pos = end + 1;
    if (name.startsWith('#')) {
      const code = name.startsWith('#x') ? /^#x[0-9A-Fa-f]+$/.test(name) ? parseInt(name.slice(2), 16) : NaN : /^#[0-9]+$/.test(name) ? Number(name.slice(1)) : NaN;
      if (!isXmlChar(code)) this.fail('bad character reference');
      return String.fromCodePoint(code);
    }
    const value = PREDEFINED[name];
    if (value === undefined) this.fail('undefined entity');
    return value;
  }

  /** XML §2.2 Char: no C0 controls other than TAB, LF, CR; no lone surrogates. */
  private checkChar(c: string): string {
    const code = c.charCodeAt(0);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) this.fail('control character');
    if (code === 0xfffe || code === 0xffff) this.fail('non-character');
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = this.text.charCodeAt(this.pos);
      if (!(next >= 0xdc00 && next <= 0xdfff)) this.fail('lone surrogate');
      this.pos += 1;
      return c + this.text[this.pos - 1]!;
    }
    if (code >= 0xdc00 && code <= 0xdfff) this.fail('lone surrogate');
    return c;
  }

  private comment(): void {
    const end = this.text.indexOf('-->', this.pos + 4);
    if (end < 0) this.fail('unterminated comment');
    if (this.text.slice(this.pos + 4, end).includes('--')) this.fail('"--" in a comment');
    this.pos = end + 3;
  }

  private processingInstruction(): void {
    if (/^<\?xml[\s?]/i.test(this.text.slice(this.pos, this.pos + 6))) this.fail('misplaced XML declaration');
    this.skipPast('?>', 'unterminated processing instruction');
  }

  private skipPast(end: string, problem: string): void {
    const at = this.text.indexOf(end, this.pos);
    if (at < 0) this.fail(problem);
    this.pos = at + end.length;
  }

  /** Returns whether any white space (XML §2.3 S) was skipped. */
  private skipSpace(): boolean {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos += 1;
      else break;
    }
    return this.pos > start;
  }

  private expect(c: string): void {
    if (this.text[this.pos] !== c) this.fail(`expected "${c}"`);
    this.pos += 1;
  }

  private fail(problem: string): never {
    throw malformedBody(this.format, `${problem} at offset ${this.pos}`);
  }
}

function isXmlChar(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

