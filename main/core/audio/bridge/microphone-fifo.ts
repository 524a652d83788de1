/**
 * The microphone frames between the real source, which pushes at its own clock, and the bridge,
 * which takes one per tick of the speaker's clock. Two clocks of one sound card agree, but a
 * USB microphone with a built-in speaker does not: ±1 % is common. So the FIFO neither grows
 * nor runs dry for good:
 *
 * - overflow: beyond `capacity` frames the oldest is dropped (a burst from the driver);
 * - standing level: when, over a whole window of ticks, the FIFO never fell below two frames,
 *   the source runs fast and the surplus is only latency: one frame is dropped;
 * - underrun: the last frame is played once more (a source running slow), then silence (a
 *   source that has stopped must not buzz).
 *
 * Frame-level correction costs a 20 ms skip or repeat about every 100 frames at 1 % drift;
 * PJSIP's delay buffer stretches speech with WSOLA instead, which would be the next step.
 */
export interface MicrophoneFifoOptions {
  /** Samples per frame. */
  readonly frameSamples: number;
  /** The most frames held (default 5: 100 ms at 20 ms). */
  readonly capacity?: number;
  /** Ticks over which the lowest fill level is watched (default 50: 1 s at 20 ms). */
  readonly window?: number;
  /** Repeats of the last frame in a row before silence (default 1). */
  readonly maxRepeats?: number;
}

export interface MicrophoneFifoStatistics {
  /** Frames queued now. */
  readonly depth: number;
  /** Frames dropped (overflow and standing level). */
  readonly dropped: number;
  /** Frames played twice on an underrun. */
  readonly repeated: number;
  /** Ticks that found the FIFO empty and played silence. */
  readonly silent: number;
}

export class MicrophoneFifo {
  private frames: Int16Array[] = [];
  private last: Int16Array | undefined;
  private repeats = 0;
  private lowest = Number.POSITIVE_INFINITY;
  private ticks = 0;
  private dropped = 0;
  private repeated = 0;
  private silent = 0;
  private readonly capacity: number;
  private readonly window: number;
  private readonly maxRepeats: number;

  constructor(private readonly options: MicrophoneFifoOptions) {
    this.capacity = Math.max(2, options.capacity ?? 5);
    this.window = Math.max(1, options.window ?? 50);
    this.maxRepeats = options.maxRepeats ?? 1;
  }

  push(frame: Int16Array): void {
    this.frames.push(frame);
    while (this.frames.length > this.capacity) {
      this.frames.shift();
      this.dropped++;
    }
  }

  /** The frame for this tick. */
  pop(): Int16Array {
    this.watchLevel();
    const frame = this.frames.shift();
    if (frame !== undefined) {
      this.last = frame;
      this.repeats = 0;
      return frame;
    }
    if (this.last !== undefined && this.repeats < this.maxRepeats) {
      this.repeats++;
      this.repeated++;
      return this.last;
    }
    this.silent++;
    return new Int16Array(this.options.frameSamples);
  }

  /** Forgets what is queued (the source changed: its frames do not continue the old ones). */
  reset(): void {
    this.frames = [];
    this.last = undefined;
    this.repeats = 0;
    this.lowest = Number.POSITIVE_INFINITY;
    this.ticks = 0;
  }

  statistics(): MicrophoneFifoStatistics {
    return { depth: this.frames.length, dropped: this.dropped, repeated: this.repeated, silent: this.silent };
  }

  private watchLevel(): void {
    this.lowest = Math.min(this.lowest, this.frames.length);
    if (++this.ticks < this.window) return;
    // Two frames never used in a whole window: the source is ahead; shed one frame of latency.
    if (this.lowest >= 2) {
      this.frames.shift();
      this.dropped++;
    }
    this.ticks = 0;
    this.lowest = Number.POSITIVE_INFINITY;
  }
}
