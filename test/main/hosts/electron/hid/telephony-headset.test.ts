import { describe, expect, it } from 'vitest';
import { ReportDescriptorError, parseReportDescriptor, readField, reportLength, usageOf, writeField } from '../../../../../main/hosts/electron/hid/report-descriptor.js';
import { LedUsage, TelephonyHeadset, TelephonyReportMap, TelephonyUsage, type HeadsetCallState } from '../../../../../main/hosts/electron/hid/telephony-headset.js';
import { arrayHeadset, mouse, numberedHeadset } from './descriptors.js';

describe('HID report descriptor', () => {
  it('places every field of a numbered headset: inputs, padding, LED outputs, a vendor feature', () => {
    const descriptor = parseReportDescriptor(numberedHeadset);
    expect(descriptor.numbered).toBe(true);
    const where = (kind: string, usage: number) => descriptor.fields.find((f) => f.kind === kind && f.usages[0] === usage);
    expect(where('input', TelephonyUsage.hookSwitch)).toMatchObject({ reportId: 2, bitOffset: 0, bitSize: 1, relative: false, variable: true });
    expect(where('input', TelephonyUsage.phoneMute)).toMatchObject({ reportId: 2, bitOffset: 2, relative: true });
    expect(where('input', TelephonyUsage.drop)).toMatchObject({ bitOffset: 4 });
    expect(where('output', LedUsage.hold)).toMatchObject({ reportId: 2, bitOffset: 3 });
    expect(where('feature', usageOf(0xff00, 1))).toMatchObject({ reportId: 3, bitSize: 8 });
    expect(reportLength(descriptor, 'input', 2)).toBe(1);
    expect(reportLength(descriptor, 'output', 2)).toBe(2);
    expect(reportLength(descriptor, 'feature', 3)).toBe(63);
  });

  it('reads arrays, Push/Pop, extended usages and usage ranges', () => {
    const descriptor = parseReportDescriptor(arrayHeadset);
    expect(descriptor.numbered).toBe(false);
    expect(descriptor.fields[0]).toMatchObject({ kind: 'input', variable: false, bitSize: 2, logicalMinimum: 1, usages: [TelephonyUsage.hookSwitch, TelephonyUsage.phoneMute, TelephonyUsage.drop] });
    expect(descriptor.fields[1]).toMatchObject({ kind: 'output', bitOffset: 0, bitSize: 1, usages: [LedUsage.ring] });
    const buttons = parseReportDescriptor(mouse).fields;
    expect(buttons.map((f) => f.usages[0])).toEqual([usageOf(9, 1), usageOf(9, 2), usageOf(9, 3)]);
  });

  it.each([
    ['an item running past the end', [0x05]],
    ['a truncated long item', [0xfe, 0x05]],
    ['report ID 0', [0x85, 0x00]],
    ['Pop without Push', [0xb4]],
    ['a huge usage range', [0x19, 0x00, 0x2a, 0xff, 0xff]],
    ['a huge report count', [0x96, 0xff, 0xff]],
  ])('refuses %s', (_name, bytes) => {
    expect(() => parseReportDescriptor(Uint8Array.from(bytes))).toThrow(ReportDescriptorError);
  });

  it('reads and writes fields across byte boundaries, little-endian', () => {
    const data = new Uint8Array(3);
    writeField({ bitOffset: 6, bitSize: 12 }, data, 0xabc);
    expect([...data]).toEqual([0x00, 0xaf, 0x02]);
    expect(readField({ bitOffset: 6, bitSize: 12 }, data)).toBe(0xabc);
    expect(readField({ bitOffset: 20, bitSize: 8 }, data)).toBeUndefined();
  });
});

describe('telephony headset', () => {
  function headset(bytes: Uint8Array, state: HeadsetCallState) {
    const done: string[] = [];
    const current = { ...state };
    const device = new TelephonyHeadset(TelephonyReportMap.fromDescriptor(bytes), () => current, {
      answer: () => done.push('answer'),
      hangup: () => done.push('hangup'),
      toggleMute: () => done.push('mute'),
    });
    return { device, done, current };
  }
  const report = (bits: number) => Uint8Array.from([bits]);

  it('absolute hook switch: off-hook answers the ringing call, on-hook hangs up', () => {
    const { device, done, current } = headset(numberedHeadset, { ringing: true, inCall: false });
    expect(device.input(2, report(0b1))).toEqual([{ control: 'hookSwitch', pressed: true, relative: false }]);
    Object.assign(current, { ringing: false, inCall: true });
    device.input(2, report(0b1));
    device.input(2, report(0b0));
    expect(done).toEqual(['answer', 'hangup']);
  });

  it('absolute hook switch echoing the lamps we set does nothing', () => {
    // Answered from the window: the Off-Hook lamp goes on, the headset reports off-hook.
    const { device, done, current } = headset(numberedHeadset, { ringing: false, inCall: true });
    device.input(2, report(0b1));
    // Hung up from the window: the lamp goes off, the headset reports on-hook.
    Object.assign(current, { inCall: false });
    device.input(2, report(0b0));
    expect(done).toEqual([]);
  });

  it('mute and drop act on the press, not the release, and only in a call', () => {
    const { device, done, current } = headset(numberedHeadset, { ringing: false, inCall: false });
    device.input(2, report(0b00100));
    device.input(2, report(0));
    Object.assign(current, { inCall: true });
    device.input(2, report(0b00100));
    device.input(2, report(0));
    device.input(2, report(0b10000));
    // Another report ID is not ours to read.
    device.input(3, report(0xff));
    expect(done).toEqual(['mute', 'hangup']);
  });

  it('a toggle (relative) hook switch in an array: answers when ringing, hangs up in a call', () => {
    const { device, done, current } = headset(arrayHeadset, { ringing: true, inCall: false });
    device.input(0, report(1));
    device.input(0, report(0));
    Object.assign(current, { ringing: false, inCall: true });
    device.input(0, report(2));
    device.input(0, report(0));
    device.input(0, report(1));
    expect(done).toEqual(['answer', 'mute', 'hangup']);
  });

  it('lamps: off-hook, ring, mute, hold in the output report, sent only when they change', () => {
    const { device } = headset(numberedHeadset, { ringing: false, inCall: false });
    const reports = device.lamps({ offHook: true, ring: false, mute: true, hold: false });
    expect(reports.map((r) => [r.reportId, [...r.data]])).toEqual([[2, [0b0101, 0]]]);
    expect(device.lamps({ offHook: true, ring: false, mute: true, hold: false })).toEqual([]);
    expect(device.lamps({ offHook: false, ring: true, mute: false, hold: true }).map((r) => [...r.data])).toEqual([[0b1010, 0]]);
  });

  it('knows a headset from a mouse', () => {
    expect(TelephonyReportMap.fromDescriptor(numberedHeadset).isTelephony).toBe(true);
    expect(TelephonyReportMap.fromDescriptor(mouse).isTelephony).toBe(false);
    expect(TelephonyReportMap.fromDescriptor(arrayHeadset).encode({ offHook: false, ring: true, mute: false, hold: false }).map((r) => [r.reportId, [...r.data]])).toEqual([
      [0, [1]],
    ]);
  });
});
