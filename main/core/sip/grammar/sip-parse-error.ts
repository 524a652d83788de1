/**
 * The one exception the SIP parsers throw for bad input: whatever arrives from the network, the
 * message, URI and header parsers throw a `SipParseError` and nothing else.
 *
 * `reason` is a fixed, short phrase (never a copy of the input) fit for the Reason-Phrase of the
 * error response; `statusCode` is the response RFC 3261 suggests for it. When the failure was in
 * a whole message, the error also says what is needed to answer it (§8.2.6, §16.3 step 1): the
 * start-line kind, the method, and the Via, From, To, Call-ID and CSeq fields as received.
 */

export type SipParseErrorCode =
  /** Not what the grammar allows (the usual 400 Bad Request). */
  | 'malformed'
  /** A SIP-Version other than SIP/2.0 (§8.2.2.1 … 505 Version Not Supported). */
  | 'version'
  /** A mandatory header field is absent (§8.1.1: To, From, CSeq, Call-ID, Via). */
  | 'missing_header'
  /** The message is longer than the parser accepts (513 Message Too Large, §21.5.14). */
  | 'too_large'
  /** More header fields than the parser accepts. */
  | 'too_many_headers'
  /** A start-line or header field longer than the parser accepts. */
  | 'header_too_long';

/** A header field as received: its name as written and its (unfolded) value. */
export interface RawHeaderField {
  readonly name: string;
  readonly value: string;
}

/** What is known of the message that failed to parse, so a UAS can still answer it. */
export interface SipParseErrorContext {
  /** Whether the start-line was a Request-Line or a Status-Line, when that could be told. */
  readonly startLine?: 'request' | 'response';
  /** The request method, when the Request-Line had one. */
  readonly method?: string;
  /** The Via, From, To, Call-ID and CSeq fields as received, in their order. */
  readonly headers?: readonly RawHeaderField[];
}

const statusOf: Record<SipParseErrorCode, number> = {
  malformed: 400,
  version: 505,
  missing_header: 400,
  too_large: 513,
  too_many_headers: 513,
  header_too_long: 513,
};

export class SipParseError extends Error {
  override readonly name: string = 'SipParseError';
  /** The response a UAS should send for it (400, 505 or 513). */
  readonly statusCode: number;
  readonly startLine: 'request' | 'response' | undefined;
  readonly method: string | undefined;
  readonly headers: readonly RawHeaderField[];

  constructor(
    readonly code: SipParseErrorCode,
    /** A short phrase safe to use as a Reason-Phrase: fixed text, never a copy of the input. */
    readonly reason: string,
    /** More detail for logs (positions and expectations, never raw input). */
    readonly detail?: string,
    context?: SipParseErrorContext,
  ) {
    super(detail === undefined ? reason : `${reason}: ${detail}`);
    this.statusCode = statusOf[code];
    this.startLine = context?.startLine;
    this.method = context?.method;
    this.headers = context?.headers ?? [];
  }

  /**
   * Whether a UAS can send an error response: the message was a request other than ACK
   * (§17.1.1.3: an ACK is never answered) and it carried a Via to send the response along
   * (§18.2.2).
   */
  get isAnswerable(): boolean {
    return (
      this.startLine === 'request' &&
      this.method !== undefined &&
      this.method !== 'ACK' &&
      this.headers.some((h) => h.name.toLowerCase() === 'via' || h.name.toLowerCase() === 'v')
    );
  }

  /** The same failure, now knowing which message it was in. */
  withContext(context: SipParseErrorContext): SipParseError {
    const error = new SipParseError(this.code, this.reason, this.detail, context);
    error.stack = this.stack;
    return error;
  }
}

/** Shorthand for the usual 400: `throw malformed('Bad Via header field', 'expected "/"')`. */
export function malformed(reason: string, detail?: string): SipParseError {
  return new SipParseError('malformed', reason, detail);
}
