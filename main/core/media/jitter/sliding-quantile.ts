/**
 * A quantile of the samples of the last `windowMs`, kept as it slides: the samples in arrival
 * order (a ring, to expire the oldest) and the same values sorted (to read any rank at once).
 * A sample costs a binary search and a shift of the values above it, instead of a sort of the
 * whole window at every read; nothing is allocated once the window has reached its usual size.
 */
export class SlidingQuantile {
  /** Ring of the samples in arrival order: times and values. */
  private arrivals: Float64Array;
  private values: Float64Array;
  private head = 0;
  /** The same values, ascending, in `sorted[0 .. count)`. */
  private sorted: Float64Array;
  private count = 0;

  constructor(
    private readonly windowMs: number,
    initialCapacity = 128,
  ) {
    this.arrivals = new Float64Array(initialCapacity);
    this.values = new Float64Array(initialCapacity);
    this.sorted = new Float64Array(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a sample, then forgets those older than `windowMs` before it. */
  push(arrivalMs: number, value: number): void {
    if (this.count === this.arrivals.length) this.grow();
    const capacity = this.arrivals.length;
    const tail = (this.head + this.count) % capacity;
    this.arrivals[tail] = arrivalMs;
    this.values[tail] = value;
    const at = this.lowerBound(value);
    this.sorted.copyWithin(at + 1, at, this.count);
    this.sorted[at] = value;
    this.count++;
    const oldest = arrivalMs - this.windowMs;
    while (this.count > 0 && this.arrivals[this.head]! < oldest) {
      const expired = this.values[this.head]!;
      const index = this.lowerBound(expired);
      this.sorted.copyWithin(index, index + 1, this.count);
      this.count--;
      this.head = (this.head + 1) % capacity;
    }
  }

  /** The value at rank ⌊quantile × n⌋ (at most n − 1) of the n samples in the window; 0 when empty. */
  quantile(quantile: number): number {
    if (this.count === 0) return 0;
    return this.sorted[Math.min(this.count - 1, Math.floor(quantile * this.count))]!;
  }

  /** First index in `sorted` whose value is not below `value`. */
  private lowerBound(value: number): number {
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.sorted[middle]! < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private grow(): void {
    const capacity = this.arrivals.length * 2;
    const arrivals = new Float64Array(capacity);
    const values = new Float64Array(capacity);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) % this.arrivals.length;
      arrivals[i] = this.arrivals[from]!;
      values[i] = this.values[from]!;
    }
    const sorted = new Float64Array(capacity);
    sorted.set(this.sorted.subarray(0, this.count));
    this.arrivals = arrivals;
    this.values = values;
    this.sorted = sorted;
    this.head = 0;
  }
}
