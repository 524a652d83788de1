/**
 * How long to wait before registering again after a failure: RFC 5626 §4.5 (Flow Recovery),
 *
 *   wait-time = min(max-time, base-time * 2 ^ consecutive-failures)
 *
 * "selecting a uniform random time between 50 and 100 percent of the wait-time", so that
 * thousands of phones cut off together (a registrar restart) do not come back together.
 * Its example counts the failure just seen: "there were three failures ... 30*(2^3)".
 */
import type { RandomSource } from '../locator/index.js';

export interface FlowRecoveryOptions {
  /**
   * Seconds. §4.5: 30 "if all of the flows to every URI in the outbound proxy set have failed",
   * 90 when some flow still works. A registration has one flow, so its failure is all of them.
   */
  readonly baseTimeSeconds: number;
  /** Seconds; §4.5 default 1800. */
  readonly maxTimeSeconds: number;
}

export const defaultFlowRecovery: FlowRecoveryOptions = { baseTimeSeconds: 30, maxTimeSeconds: 1800 };

/** The wait, in milliseconds, after `consecutiveFailures` (≥ 1) failures in a row. */
export function flowRecoveryWaitMs(consecutiveFailures: number, options: FlowRecoveryOptions, random: RandomSource): number {
  const waitTime = Math.min(options.maxTimeSeconds, options.baseTimeSeconds * 2 ** consecutiveFailures);
  return Math.round(waitTime * (0.5 + 0.5 * random()) * 1000);
}
