/**
 * The one exception the event-package body parsers throw for bad input: whatever arrives in a
 * NOTIFY (or PUBLISH, MESSAGE) body, they throw an `EventBodyError` and nothing else, so the
 * owner answers with `statusCode` — 400 for a malformed body, 413 for one over the size limit
 * (RFC 3261 §21.4.11). `message` is fixed text, never a copy of the input.
 */
export type EventBodyErrorCode = 'malformed' | 'too_large';

export class EventBodyError extends Error {
  override readonly name = 'EventBodyError';
  readonly statusCode: 400 | 413;

  constructor(
    readonly code: EventBodyErrorCode,
    /** Which format failed, e.g. "pidf", "sipfrag". */
    readonly format: string,
    detail: string,
  ) {
    super(`${format}: ${detail}`);
    this.statusCode = code === 'too_large' ? 413 : 400;
  }
}

/** Shorthand: `throw malformedBody('pidf', 'no <presence> root')`. */
export function malformedBody(format: string, detail: string): EventBodyError {
  return new EventBodyError('malformed', format, detail);
}
