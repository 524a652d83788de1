import { decodeTelephoneEvent, digitForEvent, MAX_EVENT_DURATION } from './telephone-event.js';

/** What the receiver needs of an RTP packet carrying telephone-event. */
export interface ReceivedEventPacket {
  /** 32-bit RTP timestamp: the start of the event (or of its segment). */
  readonly timestamp: number;
  readonly marker: boolean;
  readonly payload: Uint8Array;
  readonly arrivalMs: number;
}

export type DtmfEvent =
  | {
      readonly type: 'start';
      readonly digit: string;
      readonly event: number;
      readonly timestamp: number;
      readonly volume: number;
      /** The first packet (marker bit) was lost: the start was inferred from a later one. */
      readonly inferred: boolean;
    }
  | {
      readonly type: 'end';
      readonly digit: string;
      readonly event: number;
      readonly timestamp: number;
      /** Total duration in timestamp units, all segments included. */
      readonly duration: number;
      readonly durationMs: number;
      /** No end packet arrived: ended by the next event or by silence. */
      readonly inferred: boolean;
    };

export interface TelephoneEventReceiverOptions {
  readonly clockRate?: number;
  /** With no packet for this long, an event whose end packets were all lost is ended. Default 300. */
  readonly endTimeoutMs?: number;
}

interface CurrentEvent {
  readonly event: number;
  readonly digit: string;
  readonly firstTimestamp: number;
  /** Timestamp of the current segment (§2.5.1.3). */
  segmentTimestamp: number;
  /** Duration of the segments before the current one. */
  earlierSegments: number;
  duration: number;
  lastArrivalMs: number;
}

const ENDED_EVENTS_KEPT = 32;

/**
 * Turns received telephone-event packets into digit start/end events (RFC 4733 §2.5.2).
 * - §2.5.2.1: an event is identified by its timestamp; a new timestamp with a new event code,
 *   or any packet after an end, starts a new event, with or without the marker bit (the first
 *   packet may be lost).
 * - §2.5.1.4: the end packet comes three times; copies, and stray updates for an event already
 *   ended, are ignored.
 * - §2.5.2.2: a new event while one is still going ends the old one; so does `poll()` once no
 *   packet has come for `endTimeoutMs`.
 * - §2.5.1.3: a packet for the same event whose timestamp is the current segment's plus 0xFFFF
 *   continues it (long-duration event).
 * Events other than the 16 DTMF digits are ignored.
 */
export class TelephoneEventReceiver {
  private readonly clockRate: number;
  private readonly endTimeoutMs: number;
  private current: CurrentEvent | undefined;
  private readonly ended: number[] = [];

  constructor(options: TelephoneEventReceiverOptions = {}) {
    this.clockRate = options.clockRate ?? 8000;
    this.endTimeoutMs = options.endTimeoutMs ?? 300;
  }

  receive(packet: ReceivedEventPacket): DtmfEvent[] {
    const value = decodeTelephoneEvent(packet.payload);
    const digit = digitForEvent(value.event);
    if (digit === undefined || this.ended.includes(packet.timestamp)) return [];
    const events: DtmfEvent[] = [];
    let current = this.current;

    if (current !== undefined && packet.timestamp !== current.segmentTimestamp) {
      const sinceSegment = (packet.timestamp - current.segmentTimestamp) | 0;
      if (value.event === current.event && sinceSegment === MAX_EVENT_DURATION) {
        current.earlierSegments += MAX_EVENT_DURATION;
        current.segmentTimestamp = packet.timestamp;
        current.duration = 0;
      } else if (sinceSegment < 0) {
        // An update from before the current event, reordered: nothing new to report.
        return [];
      } else {
        events.push(this.finish(current, true));
        current = undefined;
      }
    }

    if (current === undefined) {
      current = {
        event: value.event,
        digit,
        firstTimestamp: packet.timestamp,
        segmentTimestamp: packet.timestamp,
        earlierSegments: 0,
        duration: 0,
        lastArrivalMs: packet.arrivalMs,
      };
      this.current = current;
      events.push({ type: 'start', digit, event: value.event, timestamp: packet.timestamp, volume: value.volume, inferred: !packet.marker });
    }
    current.duration = Math.max(current.duration, value.duration);
    current.lastArrivalMs = packet.arrivalMs;
    if (value.end) events.push(this.finish(current, false));
    return events;
  }

  /** Ends an event whose end packets never came; call now and then (e.g. every frame). */
  poll(nowMs: number): DtmfEvent[] {
    const current = this.current;
    if (current === undefined || nowMs - current.lastArrivalMs < this.endTimeoutMs) return [];
    return [this.finish(current, true)];
  }

  private finish(current: CurrentEvent, inferred: boolean): DtmfEvent {
    this.current = undefined;
    this.ended.push(current.segmentTimestamp);
    if (this.ended.length > ENDED_EVENTS_KEPT) this.ended.shift();
    const duration = current.earlierSegments + current.duration;
    return {
      type: 'end',
      digit: current.digit,
      event: current.event,
      timestamp: current.firstTimestamp,
      duration,
      durationMs: (duration * 1000) / this.clockRate,
      inferred,
    };
  }
}
