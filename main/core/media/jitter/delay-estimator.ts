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

interface TransitSample {
  readonly arrivalMs: number;
  readonly transitMs: number;
}

const BUCKET_MS = 1;

export class DelayEstimator {
  private readonly histogram: Float64Array;
  private histogramWeight = 0;
  /** Monotonic deque of transit samples, increasing transit: the head is the window minimum. */
  private readonly minimumWindow: TransitSample[] = [];
  private readonly recentRelative: { arrivalMs: number; relativeMs: number }[] = [];
  private previousTransitMs: number | undefined;
  private jitter = 0;

  constructor(private readonly options: DelayEstimatorOptions) {
    this.histogram = new Float64Array(Math.ceil(options.maxDelayMs / BUCKET_MS) + 1);
  }

  /** Feed one received packet (late ones too: they are the evidence that jitter grew). */
  record(arrivalMs: number, mediaMs: number): void {
    const transitMs = arrivalMs - mediaMs;
    if (this.previousTransitMs !== undefined) {
      // RFC 3550 §6.4.1: J(i) = J(i-1) + (|D(i-1,i)| - J(i-1)) / 16.
      this.jitter += (Math.abs(transitMs - this.previousTransitMs) - this.jitter) / 16;
    }
    this.previousTransitMs = transitMs;

    while (this.minimumWindow.length > 0 && (this.minimumWindow.at(-1)?.transitMs ?? 0) >= transitMs) this.minimumWindow.pop();
    this.minimumWindow.push({ arrivalMs, transitMs });
    while ((this.minimumWindow[0]?.arrivalMs ?? arrivalMs) < arrivalMs - this.options.windowMs) this.minimumWindow.shift();

    const relativeMs = transitMs - this.minimumTransitMs;
    this.recentRelative.push({ arrivalMs, relativeMs });
    while ((this.recentRelative[0]?.arrivalMs ?? arrivalMs) < arrivalMs - this.options.windowMs) this.recentRelative.shift();

    const forget = this.options.forgetFactor;
    for (let i = 0; i < this.histogram.length; i++) this.histogram[i] = (this.histogram[i] ?? 0) * forget;
    this.histogramWeight = this.histogramWeight * forget + 1;
    const bucket = Math.min(this.histogram.length - 1, Math.max(0, Math.ceil(relativeMs / BUCKET_MS)));
    this.histogram[bucket] = (this.histogram[bucket] ?? 0) + 1;
  }

  /** Smallest transit in the window: the arrival offset of a packet that met no queueing. */
  get minimumTransitMs(): number {
    return this.minimumWindow[0]?.transitMs ?? 0;
  }

  /** RFC 3550 §6.4.1 interarrival jitter, in milliseconds. */
  get jitterMs(): number {
    return this.jitter;
  }

  /** Relative delay that `quantile` of packets stay under: the playout delay to aim for. */
  get targetDelayMs(): number {
    return Math.max(this.shortTermQuantile(), this.longTermQuantile());
  }

  private shortTermQuantile(): number {
    if (this.recentRelative.length === 0) return 0;
    const sorted = this.recentRelative.map((sample) => sample.relativeMs).sort((a, b) => a - b);
    const index = Math.min(sorted.length - 1, Math.floor(this.options.shortQuantile * sorted.length));
    return sorted[index] ?? 0;
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
}
