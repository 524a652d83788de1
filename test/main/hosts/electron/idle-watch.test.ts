import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchIdle } from '../../../../main/hosts/electron/idle-watch.js';
import { Emitter } from './fake-electron.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function monitor() {
  return Object.assign(new Emitter(), {
    idleSeconds: 0,
    getSystemIdleTime(this: { idleSeconds: number }): number {
      return this.idleSeconds;
    },
  });
}

describe('away after idle', () => {
  it('tells the core once when the user goes idle past the threshold, and once when back', () => {
    const pm = monitor();
    const calls: boolean[] = [];
    const stop = watchIdle({ powerMonitor: pm as never, awayAfterSeconds: 300, pollMs: 15_000, userIdle: (idle) => calls.push(idle) });
    pm.idleSeconds = 299;
    vi.advanceTimersByTime(15_000);
    expect(calls).toEqual([]);
    pm.idleSeconds = 300;
    vi.advanceTimersByTime(15_000);
    vi.advanceTimersByTime(15_000);
    expect(calls).toEqual([true]);
    pm.idleSeconds = 2;
    vi.advanceTimersByTime(15_000);
    expect(calls).toEqual([true, false]);
    stop();
    pm.idleSeconds = 1000;
    vi.advanceTimersByTime(60_000);
    expect(calls).toEqual([true, false]);
    expect(pm.listeners.get('lock-screen')).toEqual([]);
  });

  it('a locked screen is away at once; unlocking with fresh input is back', () => {
    const pm = monitor();
    const calls: boolean[] = [];
    watchIdle({ powerMonitor: pm as never, userIdle: (idle) => calls.push(idle) });
    for (const listener of pm.listeners.get('lock-screen') ?? []) listener();
    expect(calls).toEqual([true]);
    pm.idleSeconds = 0;
    for (const listener of pm.listeners.get('unlock-screen') ?? []) listener();
    expect(calls).toEqual([true, false]);
  });
});
