import type { NetworkInterfaceInfo } from 'node:os';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../../main/core/log.js';
import { interfaceFingerprint, watchNetwork, type NetworkTrigger } from '../../../../main/hosts/electron/network-watch.js';
import { Emitter } from './fake-electron.js';

function address(address: string, family: 'IPv4' | 'IPv6' = 'IPv4', internal = false): NetworkInterfaceInfo {
  return { address, family, internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null, ...(family === 'IPv6' ? { scopeid: 0 } : {}) } as NetworkInterfaceInfo;
}

describe('network and power events → re-registration', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  function setup() {
    let interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = { lo: [address('127.0.0.1', 'IPv4', true)], wlan0: [address('192.168.1.20')] };
    const powerMonitor = new Emitter();
    const fired: NetworkTrigger[] = [];
    const stop = watchNetwork({
      powerMonitor: powerMonitor as never,
      interfaces: () => interfaces,
      pollMs: 5000,
      coalesceMs: 2000,
      networkChanged: (trigger) => fired.push(trigger),
      log: silentLogger,
    });
    return { powerMonitor, fired, stop, set: (next: typeof interfaces) => (interfaces = next) };
  }

  it('re-registers on resume and on unlock, once for triggers that come together', () => {
    const { powerMonitor, fired } = setup();
    powerMonitor.emit('resume');
    powerMonitor.emit('unlock-screen');
    expect(fired).toEqual(['resume']);
    vi.advanceTimersByTime(2500);
    powerMonitor.emit('unlock-screen');
    expect(fired).toEqual(['resume', 'unlock-screen']);
  });

  it('re-registers when an address changes (Wi-Fi → Ethernet), not when nothing routable is left', () => {
    const { fired, set } = setup();
    vi.advanceTimersByTime(15_000);
    expect(fired).toEqual([]);
    set({ lo: [address('127.0.0.1', 'IPv4', true)] });
    vi.advanceTimersByTime(5000);
    expect(fired).toEqual([]);
    set({ eth0: [address('10.0.0.7'), address('fe80::1', 'IPv6')] });
    vi.advanceTimersByTime(5000);
    expect(fired).toEqual(['interfaces']);
    // A link-local IPv6 address coming and going changes nothing for SIP.
    set({ eth0: [address('10.0.0.7')] });
    vi.advanceTimersByTime(5000);
    expect(fired).toEqual(['interfaces']);
  });

  it('stops polling and listening', () => {
    const { powerMonitor, fired, stop, set } = setup();
    stop();
    expect(powerMonitor.count('resume')).toBe(0);
    expect(powerMonitor.count('unlock-screen')).toBe(0);
    set({ eth0: [address('10.0.0.8')] });
    vi.advanceTimersByTime(20_000);
    expect(fired).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fingerprints routable addresses in a stable order', () => {
    expect(interfaceFingerprint({ b: [address('10.0.0.2')], a: [address('2001:db8::5', 'IPv6'), address('::1', 'IPv6', true)] })).toBe(
      'a 2001:db8::5,b 10.0.0.2',
    );
  });
});
