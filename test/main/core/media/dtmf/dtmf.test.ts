import { describe, expect, it } from 'vitest';
import type { DtmfEvent, TelephoneEventPacket } from '../../../../../main/core/media/dtmf/index.js';
import {
  decodeTelephoneEvent,
  DtmfError,
  DtmfParseError,
  encodeTelephoneEvent,
  formatDtmfRelay,
  parseDtmfRelay,
  TelephoneEventReceiver,
  telephoneEventPackets,
} from '../../../../../main/core/media/dtmf/index.js';

const summary = (packets: readonly TelephoneEventPacket[]) =>
  packets.map((p) => [p.sendOffsetMs, p.marker ? 'M' : '-', p.timestamp, p.event.end ? 'E' : '-', p.event.duration]);

function receiveAll(receiver: TelephoneEventReceiver, packets: readonly TelephoneEventPacket[]): DtmfEvent[] {
  return packets.flatMap((p) => receiver.receive({ timestamp: p.timestamp, marker: p.marker, payload: p.payload, arrivalMs: p.sendOffsetMs }));
}

describe('telephone-event payload (RFC 4733 §2.3)', () => {
  it('packs event, E bit, volume and duration', () => {
    expect(Array.from(encodeTelephoneEvent({ event: 11, end: true, volume: 10, duration: 800 }))).toEqual([11, 0x8a, 0x03, 0x20]);
    expect(decodeTelephoneEvent(Uint8Array.of(5, 0x0a, 0x01, 0x40))).toEqual({ event: 5, end: false, volume: 10, duration: 320 });
    expect(() => decodeTelephoneEvent(Uint8Array.of(1, 2))).toThrow(DtmfParseError);
    expect(() => encodeTelephoneEvent({ event: 1, end: false, volume: 64, duration: 0 })).toThrow(DtmfError);
  });
});

describe('telephoneEventPackets (RFC 4733 §2.5.1)', () => {
  it('digit 5 for 200 ms every 50 ms: marker first, one timestamp, rising durations, three end packets', () => {
    const packets = telephoneEventPackets({ digit: '5', durationMs: 200, timestamp: 1000, volume: 10 });
    expect(summary(packets)).toEqual([
      [0, 'M', 1000, '-', 400],
      [50, '-', 1000, '-', 800],
      [100, '-', 1000, '-', 1200],
      [150, '-', 1000, 'E', 1600],
      [200, '-', 1000, 'E', 1600],
      [250, '-', 1000, 'E', 1600],
    ]);
    expect(packets.every((p) => p.event.event === 5 && p.event.volume === 10)).toBe(true);
  });

  it('per ptime (20 ms), a duration that is not a whole number of intervals', () => {
    const packets = telephoneEventPackets({ digit: '#', durationMs: 70, timestamp: 0xffff_fff0, intervalMs: 20 });
    expect(summary(packets)).toEqual([
      [0, 'M', 0xffff_fff0, '-', 160],
      [20, '-', 0xffff_fff0, '-', 320],
      [40, '-', 0xffff_fff0, '-', 480],
      [60, '-', 0xffff_fff0, 'E', 560],
      [80, '-', 0xffff_fff0, 'E', 560],
      [100, '-', 0xffff_fff0, 'E', 560],
    ]);
    expect(packets[0]?.event.event).toBe(11);
  });

  it('a long event is cut into segments of 0xFFFF (§2.5.1.3)', () => {
    const packets = telephoneEventPackets({ digit: '1', durationMs: 10_000, timestamp: 0, intervalMs: 50 });
    const segmentEnd = packets.filter((p) => p.event.duration === 0xffff);
    expect(segmentEnd).toHaveLength(3);
    expect(segmentEnd.every((p) => p.timestamp === 0 && !p.event.end)).toBe(true);
    const second = packets.filter((p) => p.timestamp === 0xffff);
    expect(second.every((p) => !p.marker)).toBe(true);
    expect(second.at(-1)?.event).toMatchObject({ end: true, duration: 80_000 - 0xffff });
    expect(packets.filter((p) => p.marker)).toHaveLength(1);
    expect(packets.filter((p) => p.event.end)).toHaveLength(3);
  });

  it('refuses what is not a DTMF digit', () => {
    expect(() => telephoneEventPackets({ digit: 'X', durationMs: 100, timestamp: 0 })).toThrow(DtmfError);
    expect(() => telephoneEventPackets({ digit: '1', durationMs: 0, timestamp: 0 })).toThrow(DtmfError);
  });
});

describe('TelephoneEventReceiver (RFC 4733 §2.5.2)', () => {
  const digit = (d: string, timestamp: number) => telephoneEventPackets({ digit: d, durationMs: 200, timestamp });

  it('start then one end, the two retransmitted end packets ignored', () => {
    const events = receiveAll(new TelephoneEventReceiver(), digit('7', 160));
    expect(events).toEqual([
      { type: 'start', digit: '7', event: 7, timestamp: 160, volume: 10, inferred: false },
      { type: 'end', digit: '7', event: 7, timestamp: 160, duration: 1600, durationMs: 200, inferred: false },
    ]);
  });

  it('duplicated packets and the same digit twice in a row', () => {
    const packets = [...digit('1', 0), ...digit('1', 4000)].flatMap((p) => [p, p]);
    const events = receiveAll(new TelephoneEventReceiver(), packets);
    expect(events.map((e) => `${e.type} ${e.digit}`)).toEqual(['start 1', 'end 1', 'start 1', 'end 1']);
  });

  it('lost start packet: the start is inferred from the first update', () => {
    const events = receiveAll(new TelephoneEventReceiver(), digit('9', 0).slice(1));
    expect(events[0]).toMatchObject({ type: 'start', digit: '9', inferred: true });
    expect(events[1]).toMatchObject({ type: 'end', duration: 1600, inferred: false });
  });

  it('all end packets lost: the next digit ends it, or poll() after silence', () => {
    const receiver = new TelephoneEventReceiver({ endTimeoutMs: 300 });
    const events = receiveAll(receiver, [...digit('2', 0).filter((p) => !p.event.end), ...digit('3', 4000)]);
    expect(events.map((e) => `${e.type} ${e.digit}${e.type === 'end' && e.inferred ? ' inferred' : ''}`)).toEqual(['start 2', 'end 2 inferred', 'start 3', 'end 3']);
    expect(events[1]).toMatchObject({ duration: 1200 });

    const lonely = new TelephoneEventReceiver({ endTimeoutMs: 300 });
    receiveAll(lonely, digit('4', 0).filter((p) => !p.event.end));
    expect(lonely.poll(200)).toEqual([]);
    expect(lonely.poll(500)).toEqual([expect.objectContaining({ type: 'end', digit: '4', inferred: true })]);
  });

  it('only end packets: start and end together', () => {
    const events = receiveAll(new TelephoneEventReceiver(), digit('*', 0).filter((p) => p.event.end));
    expect(events.map((e) => `${e.type} ${e.digit}`)).toEqual(['start *', 'end *']);
  });

  it('a long event comes back as one digit with its whole duration', () => {
    const events = receiveAll(new TelephoneEventReceiver(), telephoneEventPackets({ digit: 'D', durationMs: 10_000, timestamp: 0 }));
    expect(events).toEqual([
      expect.objectContaining({ type: 'start', digit: 'D' }),
      expect.objectContaining({ type: 'end', digit: 'D', duration: 80_000, durationMs: 10_000, inferred: false }),
    ]);
  });

  it('ignores events other than DTMF (e.g. 16, flash)', () => {
    const receiver = new TelephoneEventReceiver();
    expect(receiver.receive({ timestamp: 0, marker: true, payload: Uint8Array.of(16, 0x80, 0, 160), arrivalMs: 0 })).toEqual([]);
  });
});

describe('SIP INFO application/dtmf-relay', () => {
  it('formats and parses', () => {
    expect(formatDtmfRelay({ digit: 'a', durationMs: 160 })).toBe('Signal=A\r\nDuration=160\r\n');
    expect(parseDtmfRelay('Signal=5\r\nDuration=160\r\n')).toEqual({ digit: '5', durationMs: 160 });
    expect(parseDtmfRelay('signal = #\nduration = 100')).toEqual({ digit: '#', durationMs: 100 });
    expect(parseDtmfRelay('Signal=10\r\n')).toEqual({ digit: '*', durationMs: 250 });
    expect(parseDtmfRelay(formatDtmfRelay({ digit: 'D', durationMs: 90 }))).toEqual({ digit: 'D', durationMs: 90 });
  });

  it.each(['Duration=100', 'Signal=Z', 'Signal=1\r\nDuration=-5', 'Signal=1\r\nDuration=abc', 'garbage', 'Signal=16', 'x'.repeat(2000)])('refuses %j', (body) => {
    expect(() => parseDtmfRelay(body)).toThrow(DtmfParseError);
  });
});
