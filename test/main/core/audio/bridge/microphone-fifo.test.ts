import { describe, expect, it } from 'vitest';
import { MicrophoneFifo } from '../../../../../main/core/audio/bridge/microphone-fifo.js';

const frame = (value: number) => new Int16Array(4).fill(value);

describe('MicrophoneFifo', () => {
  it('hands frames over in order, repeats the last once on an underrun, then plays silence', () => {
    const fifo = new MicrophoneFifo({ frameSamples: 4 });
    fifo.push(frame(1));
    fifo.push(frame(2));
    expect([fifo.pop()[0], fifo.pop()[0], fifo.pop()[0], fifo.pop()[0]]).toEqual([1, 2, 2, 0]);
    expect(fifo.statistics()).toEqual({ depth: 0, dropped: 0, repeated: 1, silent: 1 });
    fifo.push(frame(3));
    expect(fifo.pop()[0]).toBe(3);
  });

  it('drops the oldest frames beyond its capacity (a burst)', () => {
    const fifo = new MicrophoneFifo({ frameSamples: 4, capacity: 3 });
    for (let i = 1; i <= 5; i++) fifo.push(frame(i));
    expect(fifo.statistics()).toMatchObject({ depth: 3, dropped: 2 });
    expect(fifo.pop()[0]).toBe(3);
  });

  it('sheds a frame of latency when the level stood at two or more for a whole window', () => {
    const fifo = new MicrophoneFifo({ frameSamples: 4, window: 10 });
    fifo.push(frame(0));
    fifo.push(frame(0));
    let value = 1;
    for (let i = 0; i < 9; i++) {
      fifo.push(frame(value++));
      fifo.pop();
    }
    expect(fifo.statistics()).toMatchObject({ depth: 2, dropped: 0 });
    fifo.push(frame(value));
    fifo.pop();
    expect(fifo.statistics()).toMatchObject({ depth: 1, dropped: 1 });
  });

  it('forgets what it held on reset (a new microphone)', () => {
    const fifo = new MicrophoneFifo({ frameSamples: 4 });
    fifo.push(frame(7));
    fifo.reset();
    expect(fifo.pop()[0]).toBe(0);
  });
});
