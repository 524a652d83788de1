/**
 * Key-press feedback: the DTMF pair of ITU-T Q.23 (frequency allocation table) for each key, as a short one-shot
 * tone plan. Q.24 asks receivers to accept signals of 40 ms or more; a 100 ms beep is clearly
 * audible and ends before the next key of fast dialling.
 */
import { off, on, ToneError, validateTonePlan, type TonePlan } from './tone-plan.js';

/** Q.23: low group (rows) 697/770/852/941 Hz, high group (columns) 1209/1336/1477/1633 Hz. */
const LOW_GROUP = [697, 770, 852, 941] as const;
const HIGH_GROUP = [1209, 1336, 1477, 1633] as const;
const KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;

export interface DtmfPair {
  readonly low: number;
  readonly high: number;
}

/** The Q.23 frequency pair of a key (0-9, *, #, A-D; a-d accepted). */
export function dtmfPair(key: string): DtmfPair {
  const upper = key.length === 1 ? key.toUpperCase() : '';
  for (let row = 0; row < KEYPAD.length; row++) {
    const column = upper === '' ? -1 : (KEYPAD[row] ?? '').indexOf(upper);
    const low = LOW_GROUP[row];
    const high = HIGH_GROUP[column];
    if (column >= 0 && low !== undefined && high !== undefined) return { low, high };
  }
  throw new ToneError('unknown_digit', `"${key}" is not a DTMF key`);
}

export const DEFAULT_DTMF_FEEDBACK_MS = 100;

/** A one-shot beep of the key's pair, followed by a short silence so back-to-back beeps stay distinct. */
export function dtmfFeedbackPlan(key: string, durationMs = DEFAULT_DTMF_FEEDBACK_MS): TonePlan {
  const { low, high } = dtmfPair(key);
  return validateTonePlan({
    name: `dtmf/${key.toUpperCase()}`,
    source: 'ITU-T Q.23 (frequency pairs), Q.24 (40 ms minimum duration)',
    segments: [on(durationMs, low, high), off(20)],
    repeat: false,
  });
}
