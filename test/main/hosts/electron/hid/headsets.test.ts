/**
 * The node-hid wiring against a fake node-hid (the real one is an optional dependency, and no
 * headset is plugged into a CI machine). Reports are in hidapi's layout: the report ID first
 * for numbered reports.
 */
import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../../main/core/log.js';
import { Headsets, loadNodeHid } from '../../../../../main/hosts/electron/hid/headsets.js';
import { mouse, numberedHeadset } from './descriptors.js';
import { FakeDevice, fakeHid } from './fake-hid.js';

const jabra = { info: { path: '/dev/hidraw3', vendorId: 0x0b0e, productId: 0x2456, product: 'Headset', usagePage: 0x0b }, descriptor: numberedHeadset };

describe('headsets through node-hid', () => {
  it('opens telephony devices only, and turns their reports into call actions', async () => {
    const notTelephony = { info: { path: '/dev/hidraw1', vendorId: 1, productId: 2, usagePage: 0x0b }, descriptor: mouse };
    const keyboard = { info: { path: '/dev/hidraw0', vendorId: 1, productId: 1, usagePage: 0x01 }, descriptor: mouse };
    const { hid, opened } = fakeHid([keyboard, notTelephony, jabra]);
    const done: string[] = [];
    const headsets = new Headsets({
      hid,
      state: () => ({ ringing: true, inCall: false }),
      actions: { answer: () => done.push('answer'), hangup: () => done.push('hangup'), toggleMute: () => done.push('mute') },
      log: silentLogger,
    });
    await headsets.scan();
    expect(headsets.count).toBe(1);
    expect([...opened.keys()]).toEqual(['/dev/hidraw1', '/dev/hidraw3']);
    expect(opened.get('/dev/hidraw1')!.closed).toBe(true);
    opened.get('/dev/hidraw3')!.emit('data', Buffer.from([2, 0b1]));
    expect(done).toEqual(['answer']);
    // Lamps sent at once, in hidapi's layout (report ID first).
    expect(opened.get('/dev/hidraw3')!.written).toEqual([[2, 0, 0]]);
    headsets.setLamps({ offHook: true, ring: false, mute: false, hold: false });
    expect(opened.get('/dev/hidraw3')!.written.at(-1)).toEqual([2, 0b0001, 0]);
    await headsets.stop();
    expect(opened.get('/dev/hidraw3')!.written.at(-1)).toEqual([2, 0, 0]);
    expect(opened.get('/dev/hidraw3')!.closed).toBe(true);
  });

  it('follows hot-plug on a bounded interval, and does not retry a device it could not use', async () => {
    vi.useFakeTimers();
    try {
      const old = { info: { path: '/dev/hidraw5', vendorId: 9, productId: 9, usagePage: 0x0b }, descriptor: undefined };
      const { hid, devices, opened } = fakeHid([old]);
      const open = vi.spyOn(hid.HIDAsync, 'open');
      const headsets = new Headsets({ hid, state: () => ({ ringing: false, inCall: false }), actions: { answer() {}, hangup() {}, toggleMute() {} }, log: silentLogger, pollMs: 1000 });
      headsets.start();
      await vi.advanceTimersByTimeAsync(10);
      expect(headsets.count).toBe(0);
      devices.push(jabra);
      await vi.advanceTimersByTimeAsync(1000);
      expect(headsets.count).toBe(1);
      expect(open.mock.calls.filter(([path]) => path === '/dev/hidraw5')).toHaveLength(1);
      devices.splice(devices.indexOf(jabra), 1);
      await vi.advanceTimersByTimeAsync(1000);
      expect(headsets.count).toBe(0);
      expect(opened.get('/dev/hidraw3')!.closed).toBe(true);
      await headsets.stop();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('works without node-hid: headset buttons are just unavailable', async () => {
    const lines: string[] = [];
    const log = { ...silentLogger, info: (message: string) => void lines.push(message) };
    expect(await loadNodeHid(log, async () => Promise.reject(new Error("Cannot find package 'node-hid'")))).toBeUndefined();
    expect(lines).toEqual(['headset call buttons unavailable: node-hid not loaded']);
    const module = { devicesAsync: async () => [], HIDAsync: { open: async () => new FakeDevice(undefined) } };
    expect(await loadNodeHid(log, async () => ({ default: module }))).toBe(module);
  });

  it('loads the real node-hid (N-API prebuild) and lists the HID devices there are', async () => {
    const hid = await loadNodeHid(silentLogger);
    expect(hid).toBeDefined();
    // A machine without hidraw access lists none; the call itself must work.
    expect(Array.isArray(await hid!.devicesAsync())).toBe(true);
  });
});
