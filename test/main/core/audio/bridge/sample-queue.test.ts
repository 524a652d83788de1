import { describe, expect, it } from 'vitest';
import { SampleQueue } from '../../../../../main/core/audio/bridge/sample-queue.js';

describe('SampleQueue', () => {
  it('joins blocks of any size and reads exact counts, padding with silence', () => {
    const queue = new SampleQueue(16);
    queue.push(Int16Array.of(1, 2, 3));
    queue.push(Int16Array.of(4, 5));
    expect([...queue.read(4)]).toEqual([1, 2, 3, 4]);
    expect([...queue.read(3)]).toEqual([5, 0, 0]);
    expect(queue.length).toBe(0);
  });

  it('keeps only the newest `capacity` samples', () => {
    const queue = new SampleQueue(4);
    for (let i = 0; i < 10; i++) queue.push(Int16Array.of(i, i));
    expect(queue.length).toBe(4);
    expect([...queue.read(4)]).toEqual([8, 8, 9, 9]);
    queue.push(Int16Array.from({ length: 6 }, (_, i) => i));
    expect([...queue.read(4)]).toEqual([2, 3, 4, 5]);
  });
});
