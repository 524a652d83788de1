import { DtmfError, DtmfParseError } from './dtmf-error.js';
import { DTMF_DIGITS, eventForDigit } from './telephone-event.js';

/**
 * DTMF in a SIP INFO request (RFC 6086 §4.2 carries it; the `application/dtmf-relay` body is a
 * de facto format from Cisco, also used by Asterisk, FreeSWITCH and most phones):
 *   Signal=5
 *   Duration=160
 * The per-account fallback when the far end did not negotiate telephone-event.
 */
export const DTMF_RELAY_CONTENT_TYPE = 'application/dtmf-relay';

export interface DtmfRelay {
  readonly digit: string;
  readonly durationMs: number;
}

const MAX_BODY_LENGTH = 1024;
const DEFAULT_DURATION_MS = 250;
const MAX_DURATION_MS = 60_000;

export function formatDtmfRelay(relay: DtmfRelay): string {
  const digit = DTMF_DIGITS[eventForDigit(relay.digit)] ?? relay.digit;
  if (!Number.isInteger(relay.durationMs) || relay.durationMs <= 0 || relay.durationMs > MAX_DURATION_MS) {
    throw new DtmfError(`duration ${relay.durationMs} ms is out of 1..${MAX_DURATION_MS}`);
  }
  return `Signal=${digit}\r\nDuration=${relay.durationMs}\r\n`;
}

/**
 * Reads a dtmf-relay body. Keys are case-insensitive, spaces around `=` allowed, CRLF or LF.
 * Signal is a digit, or its event code 0–15 as some phones send (RFC 4733 §3.2 numbering);
 * a missing Duration means the usual 250 ms.
 */
export function parseDtmfRelay(body: string): DtmfRelay {
  if (body.length > MAX_BODY_LENGTH) throw new DtmfParseError(`dtmf-relay body of ${body.length} characters is too long`);
  let signal: string | undefined;
  let duration: string | undefined;
  for (const line of body.split(/\r?\n/)) {
    const match = /^\s*([A-Za-z-]+)\s*=\s*(\S*)\s*$/.exec(line);
    if (match === null) {
      if (line.trim() === '') continue;
      throw new DtmfParseError(`dtmf-relay line "${line.slice(0, 40)}" is not key=value`);
    }
    const key = (match[1] ?? '').toLowerCase();
    if (key === 'signal') signal = match[2];
    else if (key === 'duration') duration = match[2];
  }
  if (signal === undefined || signal === '') throw new DtmfParseError('dtmf-relay body has no Signal');
  let digit: string | undefined;
  if (/^\d{2}$/.test(signal)) digit = DTMF_DIGITS[Number(signal)];
  else if (signal.length === 1 && DTMF_DIGITS.includes(signal.toUpperCase())) digit = signal.toUpperCase();
  if (digit === undefined) throw new DtmfParseError(`dtmf-relay Signal "${signal.slice(0, 10)}" is not a DTMF digit`);
  let durationMs = DEFAULT_DURATION_MS;
  if (duration !== undefined) {
    if (!/^\d{1,6}$/.test(duration)) throw new DtmfParseError(`dtmf-relay Duration "${duration.slice(0, 10)}" is not a number of milliseconds`);
    durationMs = Number(duration);
    if (durationMs <= 0 || durationMs > MAX_DURATION_MS) throw new DtmfParseError(`dtmf-relay Duration ${durationMs} is out of 1..${MAX_DURATION_MS}`);
  }
  return { digit, durationMs };
}
