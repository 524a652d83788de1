/**
 * Volume and level meters on device frames. A volume is a gain in percent (100: unchanged,
 * 50: −6 dB); a level is the frame's RMS relative to full scale, in dBFS (a full-scale square
 * wave reads 0, a full-scale sine −3 dB), floored at −100.
 */
import { SILENCE_DBFS, type AudioLevel } from '../../../shared/model.js';

/** The frame scaled by `percent` / 100, saturated at 16 bits; the same frame at 100 %. */
export function applyVolume(frame: Int16Array, percent: number): Int16Array {
  if (percent === 100) return frame;
  const gain = percent / 100;
  const out = new Int16Array(frame.length);
  for (let i = 0; i < frame.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(frame[i]! * gain)));
  return out;
}

export function rmsDbfs(frame: Int16Array): number {
  if (frame.length === 0) return SILENCE_DBFS;
  let sum = 0;
  for (let i = 0; i < frame.length; i++) {
    const sample = frame[i]!;
    sum += sample * sample;
  }
  const rms = Math.sqrt(sum / frame.length) / 32768;
  return rms === 0 ? SILENCE_DBFS : Math.max(SILENCE_DBFS, Math.min(0, 20 * Math.log10(rms)));
}

export interface LevelMeterOptions {
  /** How often levels are published while audio flows (default 100 ms: ~10 Hz). */
  readonly intervalMs?: number;
  readonly publish: (level: AudioLevel) => void;
}

/**
 * Collects the levels of the frames that go by and publishes the loudest of each interval. It
 * runs only while frames arrive: after an interval without any it publishes silence once and
 * stops, so an idle phone sends no level events.
 *
 * While frames flow, the frame that ends an interval publishes it, so the meter costs no wakeup
 * of its own; a timer, pushed back at each publication, publishes only when frames stop.
 */
export class LevelMeter {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private input = SILENCE_DBFS;
  private output = SILENCE_DBFS;
  private framesSinceTick = 0;
  private intervalStart = 0;
  private readonly intervalMs: number;

  constructor(private readonly options: LevelMeterOptions) {
    this.intervalMs = options.intervalMs ?? 100;
  }

  /** A microphone frame, as sent (after its volume). */
  microphone(frame: Int16Array): void {
    const level = rmsDbfs(frame);
    if (level > this.input) this.input = level;
    this.frame();
  }

  /** A speaker frame, as played (after its volume). */
  speaker(frame: Int16Array): void {
    const level = rmsDbfs(frame);
    if (level > this.output) this.output = level;
    this.frame();
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private frame(): void {
    this.framesSinceTick++;
    const now = performance.now();
    if (this.timer === undefined) {
      this.intervalStart = now;
      // Later than the interval by half of it, so that a frame ending the interval usually comes first.
      this.timer = setTimeout(() => this.lateTick(), this.intervalMs * 1.5);
      this.timer.unref?.();
      return;
    }
    if (now - this.intervalStart >= this.intervalMs) {
      this.tick();
      // On the interval's cadence, not the frame's: ~10 Hz on average whatever the frame duration.
      this.intervalStart = now - this.intervalStart >= 2 * this.intervalMs ? now : this.intervalStart + this.intervalMs;
      this.timer.refresh();
    }
  }

  /** No frame ended the interval in time: publish what there was, or silence once and stop. */
  private lateTick(): void {
    const idle = this.framesSinceTick === 0;
    this.tick();
    if (idle) {
      this.timer = undefined;
      return;
    }
    this.intervalStart = performance.now();
    this.timer?.refresh();
  }

  private tick(): void {
    this.options.publish({ input: round(this.input), output: round(this.output) });
    this.input = SILENCE_DBFS;
    this.output = SILENCE_DBFS;
    this.framesSinceTick = 0;
  }
}

function round(db: number): number {
  return Math.round(db * 10) / 10 + 0; // no −0 on the wire
}
