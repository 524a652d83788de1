/**
 * The CardDAV sync schedule with fake timers: every transition — start, interval, a local
 * change, failure backoff, a sync the user asked for, settings changed, address book removed,
 * close. The "sync" here is a fake that records when it ran and ends as told.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CardDavSchedule, type CardDavScheduleOptions } from '../../../../main/core/directory/carddav-schedule.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 1, 9, 0, 0);

/** A schedule whose syncs are recorded (ms since T0) and end only when `finish` says so. */
function harness(options: CardDavScheduleOptions = {}) {
  const runs: number[] = [];
  const schedule: CardDavSchedule = new CardDavSchedule(() => {
    runs.push(Date.now() - T0);
    schedule.started();
  }, options);
  return {
    schedule,
    runs,
    /** Ends the sync in progress. */
    finish(ok: boolean): void {
      expect(schedule.current).toBe('syncing');
      schedule.completed(ok);
    },
    dueIn: (): number | undefined => (schedule.nextAt === undefined ? undefined : schedule.nextAt - Date.now()),
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CardDAV sync schedule', () => {
  it('start with an interval: the first sync 5 s after start, then one every interval', () => {
    const h = harness();
    h.schedule.start(15);
    expect(h.schedule.current).toBe('waiting');
    expect(h.dueIn()).toBe(5_000);
    vi.advanceTimersByTime(4_999);
    expect(h.runs).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(h.runs).toEqual([5_000]);
    expect(h.schedule.current).toBe('syncing');
    expect(h.schedule.nextAt).toBeUndefined();
    vi.advanceTimersByTime(1_000);
    h.finish(true);
    expect(h.dueIn()).toBe(15 * MINUTE);
    vi.advanceTimersByTime(15 * MINUTE);
    h.finish(true);
    vi.advanceTimersByTime(15 * MINUTE);
    expect(h.runs).toEqual([5_000, 6_000 + 15 * MINUTE, 6_000 + 30 * MINUTE]);
  });

  it('start with the interval off, or no address book: nothing runs', () => {
    for (const interval of [0, undefined]) {
      const h = harness();
      h.schedule.start(interval);
      vi.advanceTimersByTime(24 * 60 * MINUTE);
      expect(h.runs).toEqual([]);
      expect(h.schedule.current).toBe('off');
    }
  });

  it('failures back off 1, 2, 4, 8 minutes, never later than the interval; a success returns to the interval', () => {
    const h = harness({ startDelayMs: 0 });
    h.schedule.start(5);
    vi.advanceTimersByTime(0);
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      h.finish(false);
      gaps.push(h.dueIn()!);
      vi.advanceTimersByTime(h.dueIn()!);
    }
    expect(gaps).toEqual([1, 2, 4, 5, 5].map((m) => m * MINUTE));
    h.finish(true);
    expect(h.dueIn()).toBe(5 * MINUTE);
    // The backoff starts again from one minute.
    vi.advanceTimersByTime(5 * MINUTE);
    h.finish(false);
    expect(h.dueIn()).toBe(MINUTE);
  });

  it('a change here syncs 2 s later even with the interval off; several changes make one sync', () => {
    const h = harness();
    h.schedule.start(0);
    h.schedule.changed();
    vi.advanceTimersByTime(1_000);
    h.schedule.changed();
    expect(h.dueIn()).toBe(1_000);
    vi.advanceTimersByTime(1_000);
    expect(h.runs).toEqual([2_000]);
    h.finish(true);
    expect(h.schedule.current).toBe('off');
    vi.advanceTimersByTime(60 * MINUTE);
    expect(h.runs).toEqual([2_000]);
  });

  it('a change that fails to go up with the interval off is retried with backoff, up to the hour', () => {
    const h = harness({ maxRetryMs: 4 * MINUTE });
    h.schedule.start(0);
    h.schedule.changed();
    vi.advanceTimersByTime(2_000);
    const gaps: number[] = [];
    for (let i = 0; i < 4; i++) {
      h.finish(false);
      gaps.push(h.dueIn()!);
      vi.advanceTimersByTime(h.dueIn()!);
    }
    expect(gaps).toEqual([1, 2, 4, 4].map((m) => m * MINUTE));
    h.finish(true);
    expect(h.schedule.current).toBe('off');
  });

  it('a sync the user asked for with the interval off that fails is not retried (nothing of ours waits)', () => {
    const h = harness();
    h.schedule.start(0);
    h.schedule.started();
    h.schedule.completed(false);
    expect(h.schedule.current).toBe('off');
  });

  it('a change during a sync: another sync 2 s after it ends, then back to the interval', () => {
    const h = harness({ startDelayMs: 0 });
    h.schedule.start(60);
    vi.advanceTimersByTime(0);
    h.schedule.changed();
    expect(h.schedule.current).toBe('syncing');
    h.finish(true);
    expect(h.dueIn()).toBe(2_000);
    vi.advanceTimersByTime(2_000);
    h.finish(true);
    expect(h.dueIn()).toBe(60 * MINUTE);
  });

  it('a change just before a periodic sync does not put it off', () => {
    const h = harness({ startDelayMs: 0 });
    h.schedule.start(5);
    vi.advanceTimersByTime(0);
    h.finish(true);
    vi.advanceTimersByTime(5 * MINUTE - 1_000);
    h.schedule.changed();
    expect(h.dueIn()).toBe(1_000);
  });

  it('a sync the user asks for while waiting: the next is an interval after it', () => {
    const h = harness();
    h.schedule.start(15);
    vi.advanceTimersByTime(5_000);
    h.finish(true);
    vi.advanceTimersByTime(10 * MINUTE);
    h.schedule.started();
    expect(h.schedule.nextAt).toBeUndefined();
    h.schedule.completed(true);
    expect(h.dueIn()).toBe(15 * MINUTE);
    vi.advanceTimersByTime(15 * MINUTE);
    expect(h.runs).toEqual([5_000, 5_000 + 25 * MINUTE]);
  });

  it('settings changed: a sync soon with the new ones, then the new interval; the interval off stops it', () => {
    const h = harness();
    h.schedule.start(60);
    vi.advanceTimersByTime(5_000);
    h.finish(true);
    h.schedule.configure(5);
    expect(h.dueIn()).toBe(5_000);
    vi.advanceTimersByTime(5_000);
    h.finish(true);
    expect(h.dueIn()).toBe(5 * MINUTE);
    h.schedule.configure(0);
    expect(h.schedule.current).toBe('off');
    vi.advanceTimersByTime(60 * MINUTE);
    expect(h.runs).toEqual([5_000, 10_000]);
  });

  it('settings changed during a sync: the new interval applies when it ends; its failures count afresh', () => {
    const h = harness({ startDelayMs: 0 });
    h.schedule.start(5);
    vi.advanceTimersByTime(0);
    h.finish(false);
    vi.advanceTimersByTime(MINUTE);
    h.schedule.configure(60);
    expect(h.schedule.current).toBe('syncing');
    h.finish(false);
    expect(h.dueIn()).toBe(MINUTE);
  });

  it('address book removed (configure undefined): stops, and changes here no longer schedule anything', () => {
    const h = harness();
    h.schedule.start(5);
    h.schedule.configure(undefined);
    expect(h.schedule.current).toBe('off');
    h.schedule.changed();
    vi.advanceTimersByTime(60 * MINUTE);
    expect(h.runs).toEqual([]);
  });

  it('close: the waiting sync never runs, and nothing wakes it again', () => {
    const h = harness();
    h.schedule.start(5);
    h.schedule.close();
    expect(h.schedule.current).toBe('closed');
    h.schedule.changed();
    h.schedule.configure(15);
    h.schedule.started();
    h.schedule.completed(false);
    vi.advanceTimersByTime(60 * MINUTE);
    expect(h.runs).toEqual([]);
    expect(h.schedule.current).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close during a sync: its end schedules nothing', () => {
    const h = harness({ startDelayMs: 0 });
    h.schedule.start(5);
    vi.advanceTimersByTime(0);
    h.schedule.close();
    h.schedule.completed(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
