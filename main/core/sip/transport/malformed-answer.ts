/**
 * The answer to a request that failed to parse (RFC 3261 §8.2.6, §21.4.1; RFC 4475 §3.1.2):
 * a 400 (or 505, 513) built from the fields the parse error kept, with the error's reason as
 * the Reason-Phrase. Undefined when the request cannot be identified well enough to answer.
 */
import { randomBytes } from 'node:crypto';
import { SipParseError } from '../grammar/index.js';
import { SipResponse } from '../messages/index.js';

export function malformedRequestAnswer(error: SipParseError): SipResponse | undefined {
  if (!error.isAnswerable) return undefined;
  try {
    const headers: [string, string][] = error.headers.map((h) => {
      // §8.2.6.2: a To tag if the request had none.
      if (/^(to|t)$/i.test(h.name) && !/;\s*tag\s*=/i.test(h.value)) return [h.name, `${h.value};tag=${randomBytes(6).toString('hex')}`];
      return [h.name, h.value];
    });
    const response = new SipResponse({ status: error.statusCode, reason: error.reason, headers });
    // The answer must be routable: its top Via has to parse.
    if (response.topVia === undefined) return undefined;
    return response;
  } catch (failure) {
    if (failure instanceof SipParseError || failure instanceof RangeError) return undefined;
    throw failure;
  }
}
