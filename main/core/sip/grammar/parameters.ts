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
import { DQUOTE, GEN_VALUE, TOKEN, allIn, isWsp, spanOf, spanOfBytes } from './char-classes.js';
import { quote, scanQuotedString, scanQuotedStringBytes, unquote } from './quoted-string.js';
import { Scanner } from './scanner.js';

export interface Parameter {
  readonly name: string;
  /** null for a parameter written without a value (";lr"). */
  readonly value: string | null;
  /** Whether the value was (or must be) written as a quoted-string. */
  readonly quoted: boolean;
}

const SEMI = 0x3b;
const noParameters: Parameter[] = [];
const EQUAL = 0x3d;

/** ASCII case-insensitive equality, cheap when the spellings already agree. */
export function sameName(a: string, b: string): boolean {
  return a.length === b.length && (a === b || a.toLowerCase() === b.toLowerCase());
}

export class Parameters implements Iterable<Parameter> {
  static readonly empty = new Parameters([]);

  /** The list, or undefined until first needed when made by `parseParameters`. */
  private items: readonly Parameter[] | undefined;
  /** For a list not read yet: the text it was checked in, from `from` to `to`. */
  private source: string | undefined;
  private from = 0;
  private to = 0;
  /**
   * For a list not read yet: a parameter found while it was checked (see `skipParameters`),
   * undefined if none; where its value starts (-1 for none) and ends in `source`.
   */
  private found: string | undefined = undefined;
  private foundStart = -1;
  private foundEnd = -1;

  constructor(list: readonly Parameter[]) {
    this.items = list;
  }

  /**
   * Parameters already checked by `parseParameters` in `text` from `from` to `to`, read into a
   * list only when first used: most parameters of a received message (those of To, Contact,
   * a second Via...) are never asked for, and the list costs an object and two strings each.
   */
  static checked(text: string, from: number, to: number): Parameters {
    const params = new Parameters(noParameters);
    params.items = undefined;
    params.source = text;
    params.from = from;
    params.to = to;
    // What the `skipParameters` that checked these found, so it is not looked for again.
    if (skipped.text === text && skipped.from === from && skipped.to === to && skipped.found !== undefined) {
      params.found = skipped.found;
      params.foundStart = skipped.valueStart;
      params.foundEnd = skipped.valueEnd;
    }
    return params;
  }

  private get list(): readonly Parameter[] {
    if (this.items === undefined) {
      this.items = readParameters(new Scanner(this.source!, 'Bad parameters', this.from, this.to));
      this.source = undefined;
    }
    return this.items;
  }

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
    if (this.items === undefined) {
      if (name === this.found) return this.foundStart < 0 ? null : genValueAt(this.source!, this.foundStart, this.foundEnd);
      return findParameter(this.source!, this.from, this.to, name);
    }
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

/**
 * `list` with no spare room, for a list kept as long as a message is: an array grown by `push`
 * reserves room for 17 elements or half its length again, 8 bytes each, most of it wasted on
 * the one to three values of a header. A list started as `[first]` has room for exactly one,
 * and `slice` copies a longer one at its exact length.
 */
export function exactLength<T>(list: T[]): T[] {
  return list.length > 1 ? list.slice() : list;
}

/**
 * Reads `*( SEMI generic-param )` at the cursor; stops before anything else. The parameters are
 * checked now (a malformed one throws here) and made into a list when first used; see
 * `Parameters.checked`.
 */
export function parseParameters(scanner: Scanner): Parameters {
  const from = scanner.pos;
  const to = skipParameters(scanner.text, from, scanner.end);
  if (to < 0) return parseParametersSlowly(scanner);
  scanner.pos = skipWs(scanner.text, to, scanner.end);
  return to === from ? Parameters.empty : Parameters.checked(scanner.text, from, to);
}

/**
 * Checks `*( SEMI generic-param )` in `text` from `from`, in place, as `parseParameters` reads
 * it: returns where the last parameter ends (`from` if there is none), or -1 if one is
 * malformed (then `parseParameters` reads them again to say how).
 */
export function skipParameters(
  text: string,
  from: number,
  end: number,
  /** An ASCII parameter name to note the first value of (see `Parameters.checked`). */
  wanted?: string,
  /** The bytes `text` was decoded from one character per byte, if it was: char `i` is byte `i + d`. */
  bytes?: Uint8Array,
  d = 0,
): number {
  if (bytes !== undefined) return skipParameterBytes(text, bytes, d, from, end, wanted);
  let to = from;
  let i = from;
  let found: string | undefined;
  let valueStart = -1;
  let valueEnd = -1;
  for (;;) {
    while (i < end && isWsp(text.charCodeAt(i))) i++;
    if (i >= end || text.charCodeAt(i) !== SEMI) break;
    i++;
    while (i < end && isWsp(text.charCodeAt(i))) i++;
    const nameStart = i;
    i = spanOf(text, TOKEN, i, end);
    if (i === nameStart) return -1;
    // The first parameter named `wanted` (see `Parameters.checked`).
    const isWanted = wanted !== undefined && found === undefined && i - nameStart === wanted.length && isName(text, nameStart, i, wanted);
    let j = i;
    while (j < end && isWsp(text.charCodeAt(j))) j++;
    if (j < end && text.charCodeAt(j) === EQUAL) {
      j++;
      while (j < end && isWsp(text.charCodeAt(j))) j++;
      if (j < end && text.charCodeAt(j) === DQUOTE) {
        i = scanQuotedString(text, j, end);
        if (i < 0) return -1;
      } else {
        i = spanOf(text, GEN_VALUE, j, end);
        if (i === j) return -1;
      }
      if (isWanted) {
        found = wanted;
        valueStart = j;
        valueEnd = i;
      }
    } else {
      // As `eatSep` leaves it: past the white space after a name without a value.
      i = j;
      if (isWanted) found = wanted;
    }
    to = i;
  }
  if (wanted !== undefined) {
    skipped.text = text;
    skipped.from = from;
    skipped.to = to;
    skipped.found = found;
    skipped.valueStart = valueStart;
    skipped.valueEnd = valueEnd;
  }
  return to;
}

/** `skipParameters` reading `text`'s characters from `bytes`, character `i` being byte `i + d`. */
function skipParameterBytes(text: string, b: Uint8Array, d: number, from: number, end: number, wanted?: string): number {
  let to = from;
  let i = from;
  let found: string | undefined;
  let valueStart = -1;
  let valueEnd = -1;
  for (;;) {
    while (i < end && isWsp(b[i + d]!)) i++;
    if (i >= end || b[i + d] !== SEMI) break;
    i++;
    while (i < end && isWsp(b[i + d]!)) i++;
    const nameStart = i;
    i = spanOfBytes(b, TOKEN, i + d, end + d) - d;
    if (i === nameStart) return -1;
    const isWanted = wanted !== undefined && found === undefined && i - nameStart === wanted.length && isNameInBytes(b, nameStart + d, wanted);
    let j = i;
    while (j < end && isWsp(b[j + d]!)) j++;
    if (j < end && b[j + d] === EQUAL) {
      j++;
      while (j < end && isWsp(b[j + d]!)) j++;
      if (j < end && b[j + d] === DQUOTE) {
        i = scanQuotedStringBytes(b, j + d, end + d);
        if (i < 0) return -1;
        i -= d;
      } else {
        i = spanOfBytes(b, GEN_VALUE, j + d, end + d) - d;
        if (i === j) return -1;
      }
      if (isWanted) {
        found = wanted;
        valueStart = j;
        valueEnd = i;
      }
    } else {
      i = j;
      if (isWanted) found = wanted;
    }
    to = i;
  }
  if (wanted !== undefined) {
    skipped.text = text;
    skipped.from = from;
    skipped.to = to;
    skipped.found = found;
    skipped.valueStart = valueStart;
    skipped.valueEnd = valueEnd;
  }
  return to;
}

/**
 * What the last `skipParameters` given a `wanted` name checked, and where it found that
 * parameter's value: `Parameters.checked` for the same range keeps it (one parameter a reader
 * nearly always asks for, a Via's branch or a From's tag, is then not looked for again).
 */
const skipped = { text: '', from: 0, to: 0, found: undefined as string | undefined, valueStart: -1, valueEnd: -1 };

/** A gen-value from `start` to `end`: a quoted-string without its quotes, or a token. */
function genValueAt(text: string, start: number, end: number): string {
  return text.charCodeAt(start) === DQUOTE ? unquote(text, start, end) : text.slice(start, end);
}

/** `parseParameters` with the scanner, which fails with the right detail on a malformed one. */
function parseParametersSlowly(scanner: Scanner): Parameters {
  const from = scanner.pos;
  let to = from;
  while (scanner.eatSep(SEMI)) {
    // The same grammar as `readParameters`, read without keeping anything.
    const start = scanner.pos;
    scanner.pos = spanOf(scanner.text, TOKEN, start, scanner.end);
    if (scanner.pos === start) scanner.fail(`expected a token at ${start}`);
    if (scanner.eatSep(EQUAL)) scanner.skipGenValue();
    to = scanner.pos;
  }
  return to === from ? Parameters.empty : Parameters.checked(scanner.text, from, to);
}

/**
 * The value of the first parameter named `name` in `text` from `from` to `to`, which
 * `parseParameters` has checked: what `get` returns, read in place without making the list
 * (a branch or a tag is read this way, and the other parameters cost nothing).
 */
function findParameter(text: string, from: number, to: number, name: string): string | null | undefined {
  let i = from;
  while (i < to) {
    // SEMI = SWS ";" SWS, then token [ EQUAL gen-value ] (§25.1), as `readParameters` reads them.
    i = skipWs(text, i, to);
    if (text.charCodeAt(i) !== SEMI) return undefined;
    const nameStart = skipWs(text, i + 1, to);
    const nameEnd = spanOf(text, TOKEN, nameStart, to);
    i = skipWs(text, nameEnd, to);
    let valueStart = -1;
    let valueEnd = -1;
    if (i < to && text.charCodeAt(i) === EQUAL) {
      valueStart = skipWs(text, i + 1, to);
      valueEnd = text.charCodeAt(valueStart) === DQUOTE ? scanQuotedString(text, valueStart, to) : spanOf(text, GEN_VALUE, valueStart, to);
      i = valueEnd;
    }
    if (isName(text, nameStart, nameEnd, name)) {
      if (valueStart < 0) return null;
      return text.charCodeAt(valueStart) === DQUOTE ? unquote(text, valueStart, valueEnd) : text.slice(valueStart, valueEnd);
    }
  }
  return undefined;
}

function skipWs(text: string, i: number, end: number): number {
  while (i < end && isWsp(text.charCodeAt(i))) i++;
  return i;
}

/** `sameName(text.slice(start, end), name)`, without the slice when `name` is ASCII. */
function isName(text: string, start: number, end: number, name: string): boolean {
  if (end - start !== name.length) return false;
  for (let k = 0; k < name.length; k++) {
    const a = text.charCodeAt(start + k);
    const b = name.charCodeAt(k);
    if (a === b) continue;
    if (b >= 0x80) return sameName(text.slice(start, end), name);
    // ASCII letters differ by 0x20 between cases; anything else must be equal.
    if ((a | 0x20) !== (b | 0x20) || (a | 0x20) < 0x61 || (a | 0x20) > 0x7a) return false;
  }
  return true;
}

/** `isName` for a token of `name.length` bytes at `start` in `bytes` (ASCII: a token is). */
function isNameInBytes(bytes: Uint8Array, start: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) {
    const a = bytes[start + k]!;
    const b = name.charCodeAt(k);
    if (a === b) continue;
    if (b >= 0x80) return false;
    if ((a | 0x20) !== (b | 0x20) || (a | 0x20) < 0x61 || (a | 0x20) > 0x7a) return false;
  }
  return true;
}

/** `*( SEMI generic-param )` at the cursor, as a list. */
function readParameters(scanner: Scanner): Parameter[] {
  let list: Parameter[] | undefined;
  while (scanner.eatSep(SEMI)) {
    const name = scanner.token();
    let value: string | null = null;
    let quoted = false;
    if (scanner.eatSep(EQUAL)) {
      value = scanner.genValue();
      quoted = scanner.quoted;
    }
    const p: Parameter = { name, value, quoted };
    if (list === undefined) list = [p];
    else list.push(p);
  }
  return list === undefined ? noParameters : exactLength(list);
}
