import { DtmfError } from './dtmf-error.js';
import { encodeTelephoneEvent, eventForDigit, MAX_EVENT_DURATION } from './telephone-event.js';
import type { TelephoneEvent } from './telephone-event.js';

export interface TelephoneEventPacketsOptions {
  readonly digit: string;
  readonly durationMs: number;
  /** RTP timestamp of the start of the event (§2.5.1.2: the same for all its packets). */
  readonly timestamp: number;
  /** Telephone-event clock rate (the rate of its rtpmap, usually 8000). */
  readonly clockRate?: number;
  /** Interval between packets: the audio ptime if known, else 50 ms (§2.5.1.2). */
  readonly intervalMs?: number;
  /** Power level in -dBm0, 0–63 (§2.3.4). Default 10. */
  readonly volume?: number;
}

/** One RTP packet of the event; the RTP layer gives it the next sequence number. */
export interface TelephoneEventPacket {
  readonly marker: boolean;
  /** 32-bit RTP timestamp. */
  readonly timestamp: number;
  readonly payload: Uint8Array;
  readonly event: TelephoneEvent;
  /** When to send it, counted from the first packet, in milliseconds. */
  readonly sendOffsetMs: number;
}

/** §2.5.1.4: the final packet of an event, and of each segment, is sent three times. */
const FINAL_PACKET_COPIES = 3;

/**
 * The RTP packets that send one DTMF digit (RFC 4733 §2.5.1).
 * - §2.5.1.2: one packet per interval, all with the event's start timestamp, the first with the
 *   marker bit; each reports the duration through the interval it starts (durations increase).
 * - §2.5.1.4: the last packet has the E bit and the final duration, and goes out three times.
 * - §2.5.1.3: an event longer than 0xFFFF timestamp units is cut into segments: a segment ends
 *   with duration 0xFFFF (E bit clear, three copies back to back), and the next one starts at
 *   timestamp + 0xFFFF with the duration counted afresh and no marker (same event).
 */
export function telephoneEventPackets(options: TelephoneEventPacketsOptions): TelephoneEventPacket[] {
  const clockRate = options.clockRate ?? 8000;
  const intervalMs = options.intervalMs ?? 50;
  const volume = options.volume ?? 10;
  const event = eventForDigit(options.digit);
  if (!(options.durationMs > 0) || !Number.isFinite(options.durationMs)) throw new DtmfError(`duration ${options.durationMs} ms is not positive`);
  if (!(intervalMs > 0)) throw new DtmfError(`packet interval ${intervalMs} ms is not positive`);
  const total = Math.max(1, Math.round((options.durationMs * clockRate) / 1000));
  const interval = Math.max(1, Math.round((intervalMs * clockRate) / 1000));

  const packets: TelephoneEventPacket[] = [];
  let sendOffsetMs = 0;
  let segmentStart = 0;
  let elapsed = 0;
  for (;;) {
    elapsed = Math.min(elapsed + interval, total, segmentStart + MAX_EVENT_DURATION);
    const eventEnds = elapsed === total;
    const segmentEnds = !eventEnds && elapsed === segmentStart + MAX_EVENT_DURATION;
    const value: TelephoneEvent = { event, end: eventEnds, volume, duration: elapsed - segmentStart };
    const payload = encodeTelephoneEvent(value);
    const timestamp = (options.timestamp + segmentStart) % 0x1_0000_0000;
    const copies = eventEnds || segmentEnds ? FINAL_PACKET_COPIES : 1;
    for (let copy = 0; copy < copies; copy++) {
      packets.push({ marker: packets.length === 0, timestamp, payload, event: value, sendOffsetMs });
      if (!segmentEnds || copy === copies - 1) sendOffsetMs += intervalMs;
    }
    if (eventEnds) return packets;
    if (segmentEnds) segmentStart = elapsed;
  }
}
