/** RFC 5626 §4.5 backoff: the exact bounds of the randomised wait. */
import { describe, expect, it } from 'vitest';
import { defaultFlowRecovery, flowRecoveryWaitMs } from '../../../../../main/core/sip/registration/index.js';

describe('flowRecoveryWaitMs (RFC 5626 §4.5)', () => {
  it.each([
    [1, 0, 30_000],
    [1, 0.999999, 59_999.97],
    [2, 0, 60_000],
    [3, 0.5, 180_000],
    [6, 0, 900_000], // 30·64 = 1920 > 1800: capped
    [60, 0.999999, 1_799_998.2],
  ])('after %i failures with random %f: %f ms', (failures, random, expected) => {
    expect(flowRecoveryWaitMs(failures, defaultFlowRecovery, () => random)).toBeCloseTo(expected, -1);
  });
});
