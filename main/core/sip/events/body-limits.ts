/**
 * Size limits for event bodies: a network peer must not make us parse megabytes. 64 KiB holds
 * any presence or dialog-info document a softphone has a use for (RFC 3863 documents of a few
 * tuples are well under 4 KiB); a caller passes its own limit where it knows better.
 */
import { EventBodyError } from './event-body-error.js';

export const defaultMaxBodyBytes = 64 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The body as text: refused when larger than `maxBytes` or not UTF-8 (RFC 3023 §3.2 default for XML). */
export function bodyText(body: Uint8Array | string, format: string, maxBytes = defaultMaxBodyBytes): string {
  if (typeof body === 'string') {
    if (Buffer.byteLength(body, 'utf8') > maxBytes) throw new EventBodyError('too_large', format, `over ${maxBytes} bytes`);
    return body;
  }
  if (body.length > maxBytes) throw new EventBodyError('too_large', format, `over ${maxBytes} bytes`);
  try {
    return decoder.decode(body);
  } catch {
    throw new EventBodyError('malformed', format, 'not UTF-8');
  }
}
