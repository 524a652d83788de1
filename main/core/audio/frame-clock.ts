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
    const step = () => {
      const due = Math.floor((this.now() - this.startedAt) / this.options.frameMs);
      const behind = due - this.frames;
      const run = Math.min(behind, this.options.maxCatchUp ?? 5);
      // Frames beyond the catch-up bound are skipped, not queued forever.
      this.frames += behind - run;
      for (let i = 0; i < run && this.timer !== undefined; i++) {
        this.frames++;
        tick();
      }
      if (this.timer === undefined) return;
      const next = this.startedAt + (this.frames + 1) * this.options.frameMs;
      this.timer = setTimeout(step, Math.max(0, next - this.now()));
    };
    this.timer = setTimeout(step, this.options.frameMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
