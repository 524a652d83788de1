/** When a binding is refreshed: granted − min(granted/2, 32 s). */
import { describe, expect, it } from 'vitest';
import { refreshDelaySeconds } from '../../../../../main/core/sip/registration/index.js';

describe('refreshDelaySeconds', () => {
  it.each([
    [3600, 3568],
    [600, 568],
    [64, 32],
    [40, 20],
    [1, 0.5],
  ])('granted %i s: refresh after %f s', (granted, delay) => {
    expect(refreshDelaySeconds(granted)).toBe(delay);
  });
});
