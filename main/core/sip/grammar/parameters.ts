/**
 * Header parameters (RFC 3261 §7.3.1, §25.1):
 *
 *   *( SEMI generic-param )     generic-param = token [ EQUAL gen-value ]
 *   gen-value = token / host / quoted-string
 *
 * Parameter names are case-insensitive; values are kept as written (a quoted value without its
 * quotes and quoted-pairs, with a flag saying it was quoted). A list is immutable: `with` and
 * `without` return a new one.
 */
import { GEN_VALUE, TOKEN, allIn } from './char-classes.js';
import { quote } from './quoted-string.js';
import type { Scanner } from './scanner.js';

export interface Parameter {
  readonly name: string;
  /** null for a parameter written without a value (";lr"). */
  readonly value: string | null;
  /** Whether the value was (or must be) written as a quoted-string. */
  readonly quoted: boolean;
}

const SEMI = 0x3b;
const EQUAL = 0x3d;

/** ASCII case-insensitive equality, cheap when the spellings already agree. */
export function sameName(a: string, b: string): boolean {
  return a.length === b.length && (a === b || a.toLowerCase() === b.toLowerCase());
}

export class Parameters implements Iterable<Parameter> {
  static readonly empty = new Parameters([]);

  constructor(private readonly list: readonly Parameter[]) {}

  /** Builds a list from `{ name: value }` (null for a parameter without a value). */
  static from(record: Record<string, string | number | null>): Parameters {
    let params = Parameters.empty;
    for (const [name, value] of Object.entries(record)) params = params.with(name, value === null ? null : String(value));
    return params;
  }

  get size(): number {
    return this.list.length;
  }

  [Symbol.iterator](): Iterator<Parameter> {
    return this.list[Symbol.iterator]();
  }

  /** The value of the first parameter named `name`: null if it has none, undefined if absent. */
  get(name: string): string | null | undefined {
    for (const p of this.list) if (sameName(p.name, name)) return p.value;
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /**
   * The list with `name` set to `value`, in place of any parameter of that name (at the
   * position of the first one) or at the end. The value is quoted when it is not a gen-value
   * token, or when `quoted` says so.
   */
  with(name: string, value: string | null = null, quoted?: boolean): Parameters {
    if (!allIn(name, TOKEN)) throw new RangeError(`not a parameter name: ${JSON.stringify(name)}`);
    const mustQuote = value !== null && (quoted === true || !allIn(value, GEN_VALUE));
    const entry: Parameter = { name, value, quoted: mustQuote };
    const list: Parameter[] = [];
    let placed = false;
    for (const p of this.list) {
      if (!sameName(p.name, name)) list.push(p);
      else if (!placed) {
        list.push(entry);
        placed = true;
      }
    }
    if (!placed) list.push(entry);
    return new Parameters(list);
  }

  without(name: string): Parameters {
    if (!this.has(name)) return this;
    return new Parameters(this.list.filter((p) => !sameName(p.name, name)));
  }

  /** `{ name: value }` with names as written; the first of a repeated name wins. */
  toRecord(): Record<string, string | null> {
    const record: Record<string, string | null> = {};
    for (const p of this.list) if (!(p.name in record)) record[p.name] = p.value;
    return record;
  }

  /** Each parameter as `;name` or `;name=value` (or with `separator` instead of ";"). */
  toString(separator = ';'): string {
    let out = '';
    for (const p of this.list) out += `${separator}${formatParameter(p)}`;
    return out;
  }
}

/** `name`, `name=value` or `name="value"`. */
export function formatParameter(p: Parameter): string {
  if (p.value === null) return p.name;
  return `${p.name}=${p.quoted ? quote(p.value) : p.value}`;
}

/** Reads `*( SEMI generic-param )` at the cursor; stops before anything else. */
export function parseParameters(scanner: Scanner): Parameters {
  let list: Parameter[] | undefined;
  while (scanner.eatSep(SEMI)) {
    const name = scanner.token();
    let value: string | null = null;
    let quoted = false;
    if (scanner.eatSep(EQUAL)) {
      value = scanner.genValue();
      quoted = scanner.quoted;
    }
    (list ??= []).push({ name, value, quoted });
  }
  return list === undefined ? Parameters.empty : new Parameters(list);
}
