/**
 * The answer to a request that failed to parse (RFC 3261 §8.2.6, §21.4.1; RFC 4475 §3.1.2):
 * a 400 (or 505, 513) built from the fields the parse error kept, with the error's reason as
 * the Reason-Phrase. Undefined when the request cannot be identified well enough to answer.
 *
 * A request whose method we do not implement and whose CSeq method differs from it is answered
 * 501 Not Implemented instead, with an Allow header field: RFC 4475 §3.1.2.18 (mismatch02)
 * prefers it, and §21.5.2 makes 501 the answer to a method the UAS does not recognize.
 */
import { randomBytes } from 'node:crypto';
import { SipParseError, type RawHeaderField } from '../grammar/index.js';
import { SipResponse } from '../messages/index.js';
import { IMPLEMENTED_METHODS } from './implemented-methods.js';

export interface MalformedAnswerOptions {
  /** The methods we implement (default `IMPLEMENTED_METHODS`). */
  readonly implementedMethods?: readonly string[];
}

export function malformedRequestAnswer(error: SipParseError, options: MalformedAnswerOptions = {}): SipResponse | undefined {
  if (!error.isAnswerable) return undefined;
  try {
    const headers: [string, string][] = error.headers.map((h) => {
      // §8.2.6.2: a To tag if the request had none.
      if (/^(to|t)$/i.test(h.name) && !/;\s*tag\s*=/i.test(h.value)) return [h.name, `${h.value};tag=${randomBytes(6).toString('hex')}`];
      return [h.name, h.value];
    });
    const implemented = options.implementedMethods ?? IMPLEMENTED_METHODS;
    let response: SipResponse;
    if (isUnknownMethodMismatch(error, implemented)) {
      headers.push(['Allow', implemented.join(', ')]);
      response = new SipResponse({ status: 501, reason: 'Not Implemented', headers });
    } else {
      response = new SipResponse({ status: error.statusCode, reason: error.reason, headers });
    }
    // The answer must be routable: its top Via has to parse.
    if (response.topVia === undefined) return undefined;
    return response;
  } catch (failure) {
    if (failure instanceof SipParseError || failure instanceof RangeError) return undefined;
    throw failure;
  }
}

/**
 * A 400-class failure in a request with a method we do not implement, whose (only) CSeq names
 * another method. Read from the raw fields, not from the error's wording.
 */
function isUnknownMethodMismatch(error: SipParseError, implemented: readonly string[]): boolean {
  const method = error.method;
  if (error.code !== 'malformed' || method === undefined || implemented.includes(method)) return false;
  const cseqMethod = rawCSeqMethod(error.headers);
  return cseqMethod !== undefined && cseqMethod !== method;
}

/** The method of the single CSeq field, when it has the "number method" shape. */
function rawCSeqMethod(headers: readonly RawHeaderField[]): string | undefined {
  const cseq = headers.filter((h) => h.name.toLowerCase() === 'cseq');
  if (cseq.length !== 1) return undefined;
  const match = /^\s*\d+\s+(\S+)\s*$/.exec(cseq[0]!.value);
  return match?.[1];
}
