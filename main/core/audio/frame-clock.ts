/**
 * A timer that ticks once per frame without drifting: each tick is scheduled against the start
 * time (start + n·frameMs), not the previous tick, so timer lateness does not accumulate; a
 * tick that comes very late runs the missed frames at once (bounded), as a device would.
 */
export interface FrameClockOptions {
  readonly frameMs: number;
  readonly now?: () => number;
  /** The most frames run at once after a stall (the rest are skipped, as a device underrun). */
  readonly maxCatchUp?: number;
}

export class FrameClock {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private startedAt = 0;
  private frames = 0;
  private run = 0;
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
    const step = () => {
      const due = Math.floor((this.now() - this.startedAt) / this.options.frameMs);
      const behind = due - this.frames;
      const count = Math.min(behind, this.options.maxCatchUp ?? 5);
      // Frames beyond the catch-up bound are skipped, not queued forever.
      this.frames += behind - count;
      for (let i = 0; i < count && this.run === run && this.timer !== undefined; i++) {
        this.frames++;
        tick();
      }
      if (this.run !== run || this.timer === undefined) return;
      const next = this.startedAt + (this.frames + 1) * this.options.frameMs;
      // Rounded up: Node fires a fractional delay a little early, and the early wake-up would
      // find no frame due and sleep again — two wake-ups per frame instead of one.
      this.timer = setTimeout(step, Math.max(0, Math.ceil(next - this.now())));
    };
    this.timer = setTimeout(step, this.options.frameMs);
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
