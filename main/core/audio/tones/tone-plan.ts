/**
 * A tone plan as data: a cadence of segments, each either a sum of sine components or silence,
 * the way ITU-T E.180 and its Supplement 2 describe tones ("f1+f2 Hz, 0.4 on 0.2 off ...").
 * Durations are whole milliseconds so the generator can place every edge at an exact sample.
 */

export class ToneError extends Error {
  override readonly name: string = 'ToneError';
  constructor(
    readonly code: 'invalid_plan' | 'invalid_level' | 'invalid_format' | 'unknown_digit' | 'invalid_option',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface ToneSegment {
  /** Frequencies (Hz) summed during the segment, each at the generator's per-tone level; empty = silence. */
  readonly frequencies: readonly number[];
  /** Whole milliseconds. */
  readonly durationMs: number;
}

export interface TonePlan {
  /** Short identifier, e.g. `us/ringback`, `Bellcore-dr2`, `dtmf/5`. */
  readonly name: string;
  readonly segments: readonly ToneSegment[];
  /** True: the cadence repeats until stopped. False: played once, then the generator is done. */
  readonly repeat: boolean;
  /** Where the values come from (standard, clause). */
  readonly source: string;
}

/** A sounding segment: `on(400, 400, 450)` is 400 ms of 400+450 Hz. */
export function on(durationMs: number, ...frequencies: number[]): ToneSegment {
  return { frequencies, durationMs };
}

export function off(durationMs: number): ToneSegment {
  return { frequencies: [], durationMs };
}

/** Sanity bounds: telephony tones sit in the voice band (E.180's tones, DTMF up to 1633 Hz per Q.23). */
const MIN_FREQUENCY = 20;
const MAX_FREQUENCY = 4000;
/** A cadence longer than a minute is a mistake in the data, not a tone. */
const MAX_CYCLE_MS = 60_000;

/** Refuses plans the generator could not render exactly; returns the plan for chaining. */
export function validateTonePlan(plan: TonePlan): TonePlan {
  if (plan.segments.length === 0) throw new ToneError('invalid_plan', `${plan.name}: no segments`);
  let cycleMs = 0;
  for (const segment of plan.segments) {
    if (!Number.isInteger(segment.durationMs) || segment.durationMs <= 0) {
      throw new ToneError('invalid_plan', `${plan.name}: segment duration ${segment.durationMs} ms is not a positive whole number`);
    }
    for (const f of segment.frequencies) {
      if (!Number.isFinite(f) || f < MIN_FREQUENCY || f > MAX_FREQUENCY) {
        throw new ToneError('invalid_plan', `${plan.name}: frequency ${f} Hz is outside ${MIN_FREQUENCY}–${MAX_FREQUENCY} Hz`);
      }
    }
    cycleMs += segment.durationMs;
  }
  if (cycleMs > MAX_CYCLE_MS) throw new ToneError('invalid_plan', `${plan.name}: cadence of ${cycleMs} ms is longer than ${MAX_CYCLE_MS} ms`);
  return plan;
}

export function cycleDurationMs(plan: TonePlan): number {
  return plan.segments.reduce((sum, s) => sum + s.durationMs, 0);
}

/** The highest number of components sounding at once (for headroom checks). */
export function maxComponents(plan: TonePlan): number {
  return plan.segments.reduce((most, s) => Math.max(most, s.frequencies.length), 0);
}
