/**
 * One header field (RFC 3261 §7.3): its name as written, its value with folding undone and
 * surrounding white space removed, and the key it is looked up by (see `headerKey`).
 */
import { TOKEN, allIn } from '../grammar/char-classes.js';
import { headerKey } from './header-names.js';

export class HeaderField {
  constructor(
    /** The name as written: "Via", "v", "VIA"... */
    readonly name: string,
    /** The value, unfolded (each fold is one SP) and trimmed. */
    readonly value: string,
    /** The full name in lower case: "via" for all of the above. */
    readonly key: string,
    /**
     * The field exactly as received (name, colon, folds), when it came from the network and is
     * not simply `Name: value`.
     */
    readonly raw?: string,
  ) {}

  /**
   * A field built in code. The name must be a token and the value may not hold CR or LF: a
   * value that could end the line would let its author add header fields of their own.
   */
  static of(name: string, value: string): HeaderField {
    if (!allIn(name, TOKEN)) throw new RangeError(`not a header field name: ${JSON.stringify(name)}`);
    if (/[\r\n]/.test(value)) throw new RangeError(`a header field value cannot hold CR or LF (${name})`);
    return new HeaderField(name, value.trim(), headerKey(name));
  }

  /** `Name: value`, or the received text if this field came from the network. */
  toString(): string {
    return this.raw ?? `${this.name}: ${this.value}`;
  }
}
