/**
 * Building a response to a request (RFC 3261 §8.2.6): the one place that knows which fields
 * a response copies.
 */
import { randomBytes } from 'node:crypto';
import type { SipRequest } from './sip-message.js';
import { SipResponse, type HeaderValue } from './sip-message.js';

export interface ResponseOptions {
  /** Default: the usual phrase for the status (§21). */
  readonly reason?: string;
  /** The To tag to add when the request's To has none (§8.2.6.2); default: a random one. */
  readonly toTag?: string;
  /** More header fields, in order, after the copied ones. */
  readonly headers?: Iterable<readonly [string, HeaderValue]>;
  readonly body?: Uint8Array | string;
}

/**
 * §8.2.6.2: "The From field of the response MUST equal the From header field of the request.
 * The Call-ID ... MUST equal the Call-ID ... The CSeq ... MUST equal the CSeq ... The Via
 * header field values in the response MUST equal the Via header field values in the request
 * and MUST maintain the same ordering." To is copied, with a tag added "if the request
 * contained no tag" — except on a 100 (Trying), which creates no dialog (§8.2.6.1), and which
 * copies the request's Timestamp.
 */
export function createResponse(request: SipRequest, status: number, options: ResponseOptions = {}): SipResponse {
  const headers: [string, HeaderValue][] = request.getAll('Via').map((via): [string, HeaderValue] => ['Via', via]);
  const to = request.get('To') ?? '';
  const needsTag = status > 100 && request.to.tag === undefined;
  headers.push(
    ['From', request.get('From') ?? ''],
    ['To', needsTag ? `${to};tag=${options.toTag ?? randomBytes(6).toString('hex')}` : to],
    ['Call-ID', request.callId],
    ['CSeq', request.get('CSeq') ?? ''],
  );
  const timestamp = request.get('Timestamp');
  if (status === 100 && timestamp !== undefined) headers.push(['Timestamp', timestamp]);
  if (options.headers !== undefined) for (const [name, value] of options.headers) headers.push([name, value]);
  return new SipResponse({
    status,
    headers,
    ...(options.reason === undefined ? {} : { reason: options.reason }),
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}
