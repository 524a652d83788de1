import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AudioDeviceError } from '../../../../../main/core/audio/audio-driver.js';
import { DeviceSlot, type DeviceSlotOptions } from '../../../../../main/core/audio/bridge/device-slot.js';
import { settle } from './fake-audio-driver.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

class Device {
  stopped = false;
  onError: ((error: AudioDeviceError) => void) | undefined;
  constructor(readonly id: string | undefined) {}
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

function slot(options: { failing?: Set<string | undefined>; slowOpen?: boolean } = {}) {
  const failing = options.failing ?? new Set<string | undefined>();
  const opened: Device[] = [];
  const tried: (string | undefined)[] = [];
  const lost: Device[] = [];
  const reports: string[] = [];
  const slotOptions: DeviceSlotOptions<Device> = {
    kind: 'output',
    open: async (id) => {
      tried.push(id);
      if (options.slowOpen) await new Promise((resolve) => setTimeout(resolve, 10));
      if (failing.has(id)) throw new AudioDeviceError('not_found', `no ${id}`);
      const device = new Device(id);
      opened.push(device);
      return device;
    },
    start: (device, onError) => (device.onError = onError),
    onLost: (device) => lost.push(device),
    delegate: {
      onDeviceFallback: (kind, failedId, error) => reports.push(`fallback ${kind} ${failedId} ${error.code}`),
      onDeviceError: (kind, error, retryInMs) => reports.push(`error ${kind} ${error.code} ${retryInMs}`),
    },
    retry: { firstDelayMs: 100, maxDelayMs: 250, maxAttempts: 3 },
  };
  return { slot: new DeviceSlot(slotOptions), opened, tried, lost, reports, failing };
}

describe('DeviceSlot', () => {
  it('skips a request a later one replaced before it ran', async () => {
    const { slot: s, tried } = slot();
    void s.update(true, 'a');
    await s.update(true, 'b');
    expect(tried).toEqual(['b']);
  });

  it('closes an open that a later request overtook, and ends on the latest', async () => {
    const { slot: s, opened, tried } = slot({ slowOpen: true });
    void s.update(true, 'a');
    await settle();
    expect(tried).toEqual(['a']);
    const last = s.update(true, 'b');
    await vi.advanceTimersByTimeAsync(50);
    await last;
    expect(opened.map((d) => [d.id, d.stopped])).toEqual([
      ['a', true],
      ['b', false],
    ]);
    expect(s.deviceInUse).toBe('b');
  });

  it('a chosen device failing while running goes to the default without being tried again at once', async () => {
    const { slot: s, tried, reports, lost } = slot();
    await s.update(true, 'usb');
    const usb = s.device!;
    usb.onError!(new AudioDeviceError('stream_failed', 'unplugged'));
    await settle();
    expect(tried).toEqual(['usb', undefined]);
    expect(lost).toEqual([usb]);
    expect(usb.stopped).toBe(true);
    expect(reports).toEqual(['fallback output usb stream_failed']);
    // A late report from the replaced device changes nothing.
    usb.onError!(new AudioDeviceError('stream_failed', 'again'));
    await settle();
    expect(tried).toHaveLength(2);
  });

  it('retries with doubling delays up to a bound, then gives up until the next request', async () => {
    const { slot: s, reports, tried, failing } = slot({ failing: new Set([undefined]) });
    await s.update(true, undefined);
    await vi.advanceTimersByTimeAsync(5000);
    expect(reports).toEqual(['error output not_found 100', 'error output not_found 200', 'error output not_found 250', 'error output not_found undefined']);
    expect(tried).toHaveLength(4);
    expect(s.retrying).toBe(false);
    failing.clear();
    await s.update(true, undefined);
    expect(s.deviceInUse).toBeUndefined();
    expect(s.device).toBeDefined();
  });

  it('closes on request and cancels a pending retry', async () => {
    const { slot: s, tried, failing } = slot({ failing: new Set([undefined]) });
    await s.update(true, undefined);
    expect(s.retrying).toBe(true);
    await s.update(false, undefined);
    expect(s.retrying).toBe(false);
    await vi.advanceTimersByTimeAsync(5000);
    expect(tried).toHaveLength(1);
    failing.clear();
    await s.update(true, undefined);
    const device = s.device!;
    await s.update(false, undefined);
    expect(device.stopped).toBe(true);
    expect(s.deviceInUse).toBeNull();
  });
});
