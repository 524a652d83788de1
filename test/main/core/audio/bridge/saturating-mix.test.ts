import { describe, expect, it } from 'vitest';
import { addRamped, addSaturated, fitFrame, saturate } from '../../../../../main/core/audio/bridge/saturating-mix.js';

describe('saturating mix', () => {
  it('clamps sums to int16 instead of wrapping', () => {
    const acc = new Float64Array(3);
    addRamped(acc, Int16Array.of(30000, -30000, 100), 1, 1);
    addRamped(acc, Int16Array.of(30000, -30000, 100), 1, 1);
    expect([...saturate(acc)]).toEqual([32767, -32768, 200]);
    expect([...addSaturated(Int16Array.of(20000, -20000), Int16Array.of(20000, -20000))]).toEqual([32767, -32768]);
  });

  it('ramps a gain linearly across the frame, ending on the target', () => {
    const acc = new Float64Array(4);
    addRamped(acc, Int16Array.of(1000, 1000, 1000, 1000), 0, 1);
    expect([...saturate(acc)]).toEqual([250, 500, 750, 1000]);
    acc.fill(0);
    addRamped(acc, Int16Array.of(1000, 1000, 1000, 1000), 1, 0);
    expect([...saturate(acc)]).toEqual([750, 500, 250, 0]);
  });

  it('fits short and long frames to the frame size', () => {
    expect([...fitFrame(Int16Array.of(1, 2), 3)]).toEqual([1, 2, 0]);
    expect([...fitFrame(Int16Array.of(1, 2, 3, 4), 3)]).toEqual([1, 2, 3]);
  });
});
