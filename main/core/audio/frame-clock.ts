/**
 * A timer that ticks once per frame without drifting: each tick is reckoned against the start
 * time (start + n·frameMs), not the previous tick, so timer lateness does not accumulate; a
 * tick that comes very late runs the missed frames at once (bounded), as a device would.
 *
 * The timer is re-armed with the same delay, one frame, while the ticks stay within a quarter of
 * a frame of their ideal time, and with a shorter one only to catch up when they fall further
 * behind (every few frames). Node keeps its timers in one list per delay: a list that empties
 * is deleted and a new delay makes a new one, so a delay that changes every frame (19, 20, 19…)
 * costs a list's creation and deletion per frame; one delay reuses the list in place.
 */
export interface FrameClockOptions {
  readonly frameMs: number;
  readonly now?: () => number;
  /** The most frames run at once after a stall (the rest are skipped, as a device underrun). */
  readonly maxCatchUp?: number;
}

/** How early a wake-up may come and still play the frame due next. */
const EARLY_TOLERANCE_MS = 1;

export class FrameClock {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private startedAt = 0;
  private frames = 0;
  private run = 0;
  /** The delay the timer was made with: refresh() re-arms it with that one. */
  private delay = 0;
  private readonly now: () => number;

  constructor(private readonly options: FrameClockOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(tick: () => void): void {
    if (this.timer !== undefined) return;
    this.startedAt = this.now();
    this.frames = 0;
    // A stop() and start() from inside a tick begin a new run: the old step must not go on.
    const run = ++this.run;
    const frameMs = this.options.frameMs;
    const maxLateMs = frameMs / 4;
    const step = () => {
      // Node may fire up to a millisecond early (it counts whole milliseconds from a loop time
      // that lags): such a wake-up still plays its frame rather than sleeping again.
      const due = Math.floor((this.now() - this.startedAt + EARLY_TOLERANCE_MS) / frameMs);
      const behind = due - this.frames;
      const count = Math.min(behind, this.options.maxCatchUp ?? 5);
      // Frames beyond the catch-up bound are skipped, not queued forever.
      this.frames += behind - count;
      for (let i = 0; i < count && this.run === run && this.timer !== undefined; i++) {
        this.frames++;
        tick();
      }
      const timer = this.timer;
      if (this.run !== run || timer === undefined) return;
      const wait = this.startedAt + (this.frames + 1) * frameMs - this.now();
      if (wait <= frameMs + EARLY_TOLERANCE_MS && frameMs - wait <= maxLateMs) {
        // One frame from now is at most a quarter frame late: the same delay (the same timer).
        if (this.delay === frameMs) timer.refresh();
        else this.arm(step, frameMs);
        return;
      }
      // Rounded up: a fractional delay fires early, and an early wake-up finds no frame due.
      this.arm(step, Math.max(0, Math.ceil(wait)));
    };
    this.arm(step, frameMs);
  }

  private arm(step: () => void, delay: number): void {
    this.delay = delay;
    this.timer = setTimeout(step, delay);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * One frame clock shared by several consumers (a device pair's source and sink, or the devices
 * of several calls): a single timer per frame wakes them all, in the order they joined, as a
 * duplex sound card's one callback does. The clock runs while anyone has joined; one that joins
 * a running clock gets its first tick at the clock's next frame.
 */
export class SharedFrameClock {
  private readonly clock: FrameClock;
  private members: { readonly tick: () => void; active: boolean }[] = [];

  constructor(options: FrameClockOptions) {
    this.clock = new FrameClock(options);
  }

  get running(): boolean {
    return this.clock.running;
  }

  /** Ticks `tick` once per frame until the returned function is called. */
  join(tick: () => void): () => void {
    const member = { tick, active: true };
    this.members = [...this.members, member];
    if (!this.clock.running) this.clock.start(this.step);
    return () => {
      if (!member.active) return;
      member.active = false;
      // A new array: one that leaves during a tick does not disturb the iteration under way.
      this.members = this.members.filter((m) => m !== member);
      if (this.members.length === 0) this.clock.stop();
    };
  }

  private readonly step = (): void => {
    const members = this.members;
    for (let i = 0; i < members.length; i++) {
      const member = members[i]!;
      if (member.active) member.tick();
    }
  };
}
