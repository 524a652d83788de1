import { DtmfError, DtmfParseError } from './dtmf-error.js';

/** RFC 4733 §3.2 table 1: DTMF named events 0–15, in event-code order. */
export const DTMF_DIGITS = '0123456789*#ABCD';

/** One telephone-event payload (RFC 4733 §2.3). */
export interface TelephoneEvent {
  /** Event code, 0–255 (0–15 are DTMF digits). */
  readonly event: number;
  /** E bit: this packet ends the event. */
  readonly end: boolean;
  /** Power level in -dBm0, 0–63 (§2.3.4). */
  readonly volume: number;
  /** Duration so far in RTP timestamp units, 0–0xFFFF (§2.3.5). */
  readonly duration: number;
}

export const MAX_EVENT_DURATION = 0xffff;
export const TELEPHONE_EVENT_PAYLOAD_SIZE = 4;

/** Event code of a DTMF digit (0-9, *, #, A-D; a-d accepted). */
export function eventForDigit(digit: string): number {
  const code = digit.length === 1 ? DTMF_DIGITS.indexOf(digit.toUpperCase()) : -1;
  if (code < 0) throw new DtmfError(`"${digit}" is not a DTMF digit`);
  return code;
}

/** The DTMF digit of an event code, or undefined for the other RFC 4733 events. */
export function digitForEvent(event: number): string | undefined {
  return Number.isInteger(event) && event >= 0 && event < DTMF_DIGITS.length ? DTMF_DIGITS[event] : undefined;
}

/**
 * RFC 4733 §2.3:
 *  0                   1                   2                   3
 * |     event     |E|R| volume    |          duration             |
 */
export function encodeTelephoneEvent(value: TelephoneEvent): Uint8Array {
  if (!Number.isInteger(value.event) || value.event < 0 || value.event > 255) throw new DtmfError(`event code ${value.event} is out of 0..255`);
  if (!Number.isInteger(value.volume) || value.volume < 0 || value.volume > 63) throw new DtmfError(`volume ${value.volume} is out of 0..63`);
  if (!Number.isInteger(value.duration) || value.duration < 0 || value.duration > MAX_EVENT_DURATION) throw new DtmfError(`duration ${value.duration} is out of 0..65535`);
  // §2.3.3: the R bit is reserved, sent as zero.
  return Uint8Array.of(value.event, (value.end ? 0x80 : 0) | value.volume, value.duration >>> 8, value.duration & 0xff);
}

/** Reads a telephone-event payload; §2.3: only the first four octets matter to us (one event per packet). */
export function decodeTelephoneEvent(payload: Uint8Array): TelephoneEvent {
  if (payload.length < TELEPHONE_EVENT_PAYLOAD_SIZE) throw new DtmfParseError(`telephone-event payload of ${payload.length} octets is shorter than 4`);
  const flags = payload[1] ?? 0;
  return {
    event: payload[0] ?? 0,
    end: (flags & 0x80) !== 0,
    volume: flags & 0x3f,
    duration: ((payload[2] ?? 0) << 8) | (payload[3] ?? 0),
  };
}
