/**
 * An element of a parsed XML document, with names resolved to (namespace, local name) pairs
 * (Namespaces in XML 1.0 §4): the readers of PIDF, dialog-info and isComposing look elements
 * up by namespace, so a document may use any prefixes it likes.
 */
export interface XmlAttribute {
  /** Local name. */
  readonly name: string;
  /** Namespace name; undefined for an unprefixed attribute (Namespaces §6.2). */
  readonly namespace: string | undefined;
  readonly value: string;
}

export type XmlNode = XmlElement | string;

export class XmlElement {
  constructor(
    /** Local name, e.g. "tuple". */
    readonly name: string,
    /** Namespace name, e.g. "urn:ietf:params:xml:ns:pidf"; undefined when in no namespace. */
    readonly namespace: string | undefined,
    readonly attributes: readonly XmlAttribute[],
    /** Child elements and text, in document order. */
    readonly children: XmlNode[],
  ) {}

  is(namespace: string | undefined, name: string): boolean {
    return this.namespace === namespace && this.name === name;
  }

  /** An attribute's value; unprefixed (no namespace) unless `namespace` is given. */
  attribute(name: string, namespace?: string): string | undefined {
    return this.attributes.find((a) => a.name === name && a.namespace === namespace)?.value;
  }

  /** The child elements, or those with this namespace and local name. */
  elements(namespace?: string, name?: string): XmlElement[] {
    const found: XmlElement[] = [];
    for (const child of this.children) {
      if (typeof child === 'string') continue;
      if (name === undefined || child.is(namespace, name)) found.push(child);
    }
    return found;
  }

  /** The first child element with this namespace and local name. */
  element(namespace: string | undefined, name: string): XmlElement | undefined {
    for (const child of this.children) if (typeof child !== 'string' && child.is(namespace, name)) return child;
    return undefined;
  }

  /** The text directly in this element (child elements left out), trimmed. */
  get text(): string {
    let text = '';
    for (const child of this.children) if (typeof child === 'string') text += child;
    return text.trim();
  }
}
