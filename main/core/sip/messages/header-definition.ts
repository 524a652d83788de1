/**
 * A typed header field as data: its name and how its values become a typed object. A message
 * parses a definition on first use and keeps the result until the field changes, so the stack
 * pays only for the headers it reads. Other layers can define their own (e.g. Session-Expires)
 * and read them with `message.typed(definition)`.
 */
import { exactLength } from '../grammar/parameters.js';
import { SipParseError } from '../grammar/sip-parse-error.js';
import { headerKey } from './header-names.js';

export interface HeaderDefinition<T> {
  /** A number unique to this definition, where a message keeps its parsed value. */
  readonly slot: number;
  /** The full name as usually written ("Call-ID"). */
  readonly name: string;
  /** `headerKey(name)`. */
  readonly key: string;
  /** The typed value from the values of every field of this name, in order. */
  parse(values: readonly string[]): T;
}

let slots = 0;

/** How many slots have been handed out: a message's cache of typed values has this length. */
export function slotCount(): number {
  return slots;
}

/** A fresh slot for a definition made by hand (the helpers below take one themselves). */
export function headerSlot(): number {
  return slots++;
}

/**
 * A header that may appear at most once (§7.3.1: only headers defined as comma-separated lists
 * may be repeated). Absent → undefined; more than one field → SipParseError.
 */
export function singleHeader<T>(name: string, parseValue: (value: string) => T): HeaderDefinition<T | undefined> {
  return {
    slot: headerSlot(),
    name,
    key: headerKey(name),
    parse(values) {
      if (values.length === 0) return undefined;
      if (values.length > 1) throw new SipParseError('malformed', `Duplicate ${name} header field`, `${values.length} fields`);
      return parseValue(values[0]!);
    },
  };
}

/** A comma-separated list header: the values of all its fields, in order. */
export function listHeader<T>(name: string, parseValue: (value: string) => readonly T[]): HeaderDefinition<readonly T[]> {
  return {
    slot: headerSlot(),
    name,
    key: headerKey(name),
    parse(values) {
      if (values.length === 1) return parseValue(values[0]!);
      const all: T[] = [];
      for (const value of values) for (const item of parseValue(value)) all.push(item);
      return exactLength(all);
    },
  };
}

/** A header whose every field is one value (WWW-Authenticate, Authorization...). */
export function repeatedHeader<T>(name: string, parseValue: (value: string) => T): HeaderDefinition<readonly T[]> {
  return {
    slot: headerSlot(),
    name,
    key: headerKey(name),
    parse: (values) => values.map(parseValue),
  };
}
