/**
 * A FIFO of samples between a resampler, whose blocks need not be a whole frame, and a consumer
 * that takes exact frames. Bounded: beyond `capacity` the oldest samples go (a consumer that has
 * stopped must not make it grow), and a read it cannot fill is padded with silence.
 */
export class SampleQueue {
  private buffer: Int16Array;
  private start = 0;
  private end = 0;

  constructor(private readonly capacity: number) {
    this.buffer = new Int16Array(capacity * 2);
  }

  get length(): number {
    return this.end - this.start;
  }

  push(samples: Int16Array): void {
    let input = samples;
    if (input.length > this.capacity) input = input.subarray(input.length - this.capacity);
    const overflow = this.length + input.length - this.capacity;
    if (overflow > 0) this.start += overflow;
    if (this.end + input.length > this.buffer.length) {
      // Compact: move what is queued to the front (the buffer is twice the capacity, so this is rare).
      this.buffer.copyWithin(0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    this.buffer.set(input, this.end);
    this.end += input.length;
  }

  /** The next `count` samples, a new array; silence where the queue runs short. */
  read(count: number): Int16Array {
    const out = new Int16Array(count);
    const take = Math.min(count, this.length);
    out.set(this.buffer.subarray(this.start, this.start + take));
    this.start += take;
    if (this.start === this.end) this.start = this.end = 0;
    return out;
  }
}
