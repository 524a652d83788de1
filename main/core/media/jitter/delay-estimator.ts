/**
 * Measures how late packets arrive relative to the fastest recent packet, and turns that into the
 * playout delay that would have let almost all of them play on time.
 *
 * For packet i with arrival a(i) and media time m(i) = RTP timestamp / clock rate, the transit
 * d(i) = a(i) - m(i) holds an unknown constant (clock offset plus path delay) and the jitter.
 * The relative delay r(i) = d(i) - min d over the last `windowMs` removes the constant; the window
 * keeps the minimum current when the sender's clock drifts against ours. The target is the
 * `quantile` of r kept two ways:
 *  - a short window (the last `windowMs`, at `shortQuantile`): reacts within a few packets when
 *    jitter rises;
 *  - a histogram with exponential forgetting: remembers a past spike for tens of seconds, so the
 *    target comes down slowly once the network calms.
 * Also keeps the RFC 3550 §6.4.1 interarrival jitter, for statistics and RTCP.
 */
import { SlidingQuantile } from './sliding-quantile.js';

export interface DelayEstimatorOptions {
  readonly maxDelayMs: number;
  /** Share of packets the long-term target keeps on time (e.g. 0.995). */
  readonly quantile: number;
  /** Share of packets of the short window the fast target keeps on time: below 1 so one stray packet does not move it. */
  readonly shortQuantile: number;
  readonly windowMs: number;
  /** Weight kept by older samples of the long histogram at each new packet. */
  readonly forgetFactor: number;
}

const BUCKET_MS = 1;
/**
 * The long histogram forgets by weighting each new sample 1/forgetFactor more than the previous
 * one, instead of multiplying every bucket by forgetFactor at each packet: the quantile only
 * compares buckets with the total, so a common scale changes nothing. Past this scale, all are
 * brought back to 1 (after some 10^5 packets at the usual factor).
 */
const RESCALE_ABOVE = 1e150;

export class DelayEstimator {
  /** Bucket weights, all scaled by `sampleWeight` relative to the forgetting they stand for. */
  private readonly histogram: Float64Array;
  private histogramWeight = 0;
  /** Weight of the next sample: grows by 1/forgetFactor per packet. */
  private sampleWeight = 1;
  /**
   * Monotonic deque of transit samples, increasing transit: the head is the window minimum.
   * A ring of arrival times and transits: `minimumHead`, `minimumCount` entries.
   */
  private minimumArrivals = new Float64Array(64);
  private minimumTransits = new Float64Array(64);
  private minimumHead = 0;
  private minimumCount = 0;
  private readonly recentRelative: SlidingQuantile;
  private previousTransitMs: number | undefined;
  private jitter = 0;
  /** targetDelayMs as of the last record(), computed when first read. */
  private target: number | undefined;

  constructor(private readonly options: DelayEstimatorOptions) {
    this.histogram = new Float64Array(Math.ceil(options.maxDelayMs / BUCKET_MS) + 1);
    this.recentRelative = new SlidingQuantile(options.windowMs);
  }

  /** Feed one received packet (late ones too: they are the evidence that jitter grew). */
  record(arrivalMs: number, mediaMs: number): void {
    const transitMs = arrivalMs - mediaMs;
    if (this.previousTransitMs !== undefined) {
      // RFC 3550 §6.4.1: J(i) = J(i-1) + (|D(i-1,i)| - J(i-1)) / 16.
      this.jitter += (Math.abs(transitMs - this.previousTransitMs) - this.jitter) / 16;
    }
    this.previousTransitMs = transitMs;

    this.pushMinimum(arrivalMs, transitMs);
    const relativeMs = transitMs - this.minimumTransitMs;
    this.recentRelative.push(arrivalMs, relativeMs);

    this.sampleWeight /= this.options.forgetFactor;
    this.histogramWeight += this.sampleWeight;
    const bucket = Math.min(this.histogram.length - 1, Math.max(0, Math.ceil(relativeMs / BUCKET_MS)));
    this.histogram[bucket] = (this.histogram[bucket] ?? 0) + this.sampleWeight;
    if (this.sampleWeight > RESCALE_ABOVE) this.rescale();
    this.target = undefined;
  }

  /** Smallest transit in the window: the arrival offset of a packet that met no queueing. */
  get minimumTransitMs(): number {
    return this.minimumCount === 0 ? 0 : this.minimumTransits[this.minimumHead]!;
  }

  /** RFC 3550 §6.4.1 interarrival jitter, in milliseconds. */
  get jitterMs(): number {
    return this.jitter;
  }

  /** Relative delay that `quantile` of packets stay under: the playout delay to aim for. */
  get targetDelayMs(): number {
    this.target ??= Math.max(this.recentRelative.quantile(this.options.shortQuantile), this.longTermQuantile());
    return this.target;
  }

  private longTermQuantile(): number {
    if (this.histogramWeight === 0) return 0;
    const wanted = this.options.quantile * this.histogramWeight;
    let sum = 0;
    for (let i = 0; i < this.histogram.length; i++) {
      sum += this.histogram[i] ?? 0;
      if (sum >= wanted) return i * BUCKET_MS;
    }
    return this.options.maxDelayMs;
  }

  private rescale(): void {
    const scale = 1 / this.sampleWeight;
    for (let i = 0; i < this.histogram.length; i++) this.histogram[i] = (this.histogram[i] ?? 0) * scale;
    this.histogramWeight *= scale;
    this.sampleWeight = 1;
  }

  /** Into the monotonic deque: drop the tail entries it undercuts, then the head entries out of the window. */
  private pushMinimum(arrivalMs: number, transitMs: number): void {
    let capacity = this.minimumTransits.length;
    while (this.minimumCount > 0 && this.minimumTransits[(this.minimumHead + this.minimumCount - 1) % capacity]! >= transitMs) this.minimumCount--;
    if (this.minimumCount === capacity) {
      const arrivals = new Float64Array(capacity * 2);
      const transits = new Float64Array(capacity * 2);
      for (let i = 0; i < this.minimumCount; i++) {
        arrivals[i] = this.minimumArrivals[(this.minimumHead + i) % capacity]!;
        transits[i] = this.minimumTransits[(this.minimumHead + i) % capacity]!;
      }
      this.minimumArrivals = arrivals;
      this.minimumTransits = transits;
      this.minimumHead = 0;
      capacity *= 2;
    }
    const tail = (this.minimumHead + this.minimumCount) % capacity;
    this.minimumArrivals[tail] = arrivalMs;
    this.minimumTransits[tail] = transitMs;
    this.minimumCount++;
    while (this.minimumCount > 0 && this.minimumArrivals[this.minimumHead]! < arrivalMs - this.options.windowMs) {
      this.minimumHead = (this.minimumHead + 1) % capacity;
      this.minimumCount--;
    }
  }
}
