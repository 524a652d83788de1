import { DelayEstimator } from './delay-estimator.js';
import { JitterBufferError } from './jitter-buffer-error.js';
import type { Clock, ReceivedPacket } from './received-packet.js';

export interface JitterBufferOptions {
  /** Time source for the playout side; arrival times in packets come from the same clock. */
  readonly clock: Clock;
  /** RTP clock rate of the stream (RFC 3551 §4.5: 8000 for PCMU/PCMA/G.722, 48000 for Opus). */
  readonly clockRate: number;
  /** Duration of one packet and of one pull, in milliseconds (the negotiated ptime). Default 20. */
  readonly frameMs?: number;
  /** Playout delay bounds, in milliseconds. Defaults 20 and 300. */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Share of packets the delay aims to play on time. Default 0.995 (late loss about 0.5 %). */
  readonly onTimeQuantile?: number;
  /** Comfort noise payload types (RFC 3389 §4: static 13, or a dynamic CN/8000). Default [13]. */
  readonly comfortNoisePayloadTypes?: readonly number[];
  /** Optional: says a packet carries silence (e.g. a G.711 frame of near-zero energy). */
  readonly isSilence?: (packet: ReceivedPacket) => boolean;
  /** How long the delay may stay a frame off target mid-speech before a frame is dropped or
   * inserted anyway (drift correction for streams without silence). Default 2000. */
  readonly forcedCorrectionAfterMs?: number;
  /** How long an empty buffer is concealed before it is taken as the end of a talkspurt. Default 80. */
  readonly maxUnderrunMs?: number;
}

/**
 * Why the decoder must conceal a frame:
 * - `loss`: the packet for this frame never arrived (or arrived too late);
 * - `underrun`: nothing buffered yet; playout waits, so the delay grows by one frame;
 * - `stretch`: a frame inserted on purpose to raise the delay toward its target.
 */
export type ConcealReason = 'loss' | 'underrun' | 'stretch';

/** What the playout side gets for one frame. */
export type PlayoutFrame =
  /** Decode this packet. `timestamp` is its 32-bit RTP timestamp. */
  | { readonly kind: 'packet'; readonly packet: ReceivedPacket; readonly timestamp: number }
  /**
   * Conceal one frame (G.711 Appendix I PLC, Opus PLC). `next`, when present, is the packet that
   * directly follows the missing one: an Opus decoder can recover the missing frame from its
   * in-band FEC (RFC 6716 §2.1.7).
   */
  | { readonly kind: 'conceal'; readonly reason: ConcealReason; readonly timestamp: number; readonly next: ReceivedPacket | undefined }
  /** Nothing to play: before the first packet, or between talkspurts (play silence or comfort noise). */
  | { readonly kind: 'silence'; readonly reason: 'buffering' | 'between-talkspurts' };

export interface JitterBufferStatistics {
  /** Playout delay beyond the fastest recent packet, in milliseconds. */
  readonly currentDelayMs: number;
  /** Delay the buffer is steering to, in milliseconds. */
  readonly targetDelayMs: number;
  /** Mean time the played packets waited between arrival and playout, in milliseconds. */
  readonly meanBufferDelayMs: number;
  /** RFC 3550 §6.4.1 interarrival jitter, in milliseconds. */
  readonly jitterMs: number;
  readonly bufferedPackets: number;
  /** Distinct packets received (duplicates not counted). */
  readonly received: number;
  readonly played: number;
  /** Packets that arrived after their playout time and were discarded. */
  readonly late: number;
  /** RFC 3550 §6.4.1 cumulative loss: expected minus received. */
  readonly lost: number;
  readonly duplicates: number;
  /** Frames handed to the decoder to conceal, whatever the reason. */
  readonly concealedFrames: number;
  /** Frames inserted (playout held, on purpose or waiting for a delayed packet) that raised the delay. */
  readonly insertedFrames: number;
  /** Frames skipped to lower the delay (silence, or forced after a sustained excess). */
  readonly droppedFrames: number;
  /** Level corrections of the delay outside talkspurt starts: clock drift and slow adaptation. */
  readonly driftCorrections: number;
  /** Talkspurt starts where the playout point was moved to the target. */
  readonly talkspurtAdjustments: number;
  /** Packets dropped because the buffer held more than twice the maximum delay. */
  readonly overflowDiscards: number;
}

interface BufferedPacket {
  readonly packet: ReceivedPacket;
  /** RTP timestamp unwrapped past 2^32. */
  readonly extendedTimestamp: number;
}

type PlayoutState = 'buffering' | 'playing' | 'between-talkspurts';

const SEEN_SEQUENCES_KEPT = 4096;
const OFFSET_SMOOTHING = 0.05;
const RELATIVE_DELAY_WINDOW_MS = 2000;
const HISTOGRAM_FORGET_FACTOR = 0.998;

/**
 * Adaptive jitter buffer for one received RTP audio stream.
 *
 * The network side `push()`es packets as they arrive; the sound card side `pull()`s one frame per
 * frame period at its own pace. Playout runs on the sender's media timeline (RTP timestamps,
 * RFC 3550 §5.1) at an offset from our clock; the delay is that offset minus the transit of the
 * fastest recent packet. Its target comes from the measured relative delays (`DelayEstimator`):
 * - it grows at once when jitter rises: playout is held (a concealed frame is inserted);
 * - it shrinks only where nothing audible is cut: at a talkspurt start (marker bit, RFC 3551 §4.1,
 *   or a timestamp jump with consecutive sequence numbers) the first packet is placed at the
 *   target, and comfort noise (RFC 3389) or silent frames may be dropped;
 * - clock drift between the sender and the sound card shows as a delay that creeps away from the
 *   target; it is corrected the same way, and after `forcedCorrectionAfterMs` of continuous speech
 *   by one dropped or inserted frame.
 */
export class JitterBuffer {
  private readonly clock: Clock;
  private readonly clockRate: number;
  private readonly frameMs: number;
  private readonly frameSamples: number;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly comfortNoise: ReadonlySet<number>;
  private readonly isSilence: ((packet: ReceivedPacket) => boolean) | undefined;
  private readonly forcedCorrectionAfterMs: number;
  private readonly maxUnderrunMs: number;
  private readonly estimator: DelayEstimator;

  /** Sorted by extended timestamp. */
  private readonly buffer: BufferedPacket[] = [];
  private readonly seen = new Set<number>();
  /** The sequence numbers in `seen`, in arrival order: a ring of SEEN_SEQUENCES_KEPT, `seenCount` of them from `seenHead`. */
  private readonly seenOrder = new Float64Array(SEEN_SEQUENCES_KEPT);
  private seenHead = 0;
  private seenCount = 0;
  private state: PlayoutState = 'buffering';
  private timestampReference: number | undefined;
  /** Extended timestamp of the next frame to play. */
  private playoutTimestamp = 0;
  /** Our clock minus media time at the next pull (smoothed). */
  private offsetMs = 0;
  private lastPlayedSequence: number | undefined;
  private lastPlayedSilent = false;
  /** Frames concealed while holding playout on an empty buffer, not yet matched to a loss. */
  private heldFrames = 0;
  private emptyRunFrames = 0;
  private offTargetSinceMs: number | undefined;

  private baseSequence: number | undefined;
  private highestSequence = 0;
  private received = 0;
  private played = 0;
  private late = 0;
  private duplicates = 0;
  private concealedFrames = 0;
  private insertedFrames = 0;
  private droppedFrames = 0;
  private driftCorrections = 0;
  private talkspurtAdjustments = 0;
  private overflowDiscards = 0;
  private bufferDelaySumMs = 0;

  constructor(options: JitterBufferOptions) {
    this.clock = options.clock;
    this.clockRate = options.clockRate;
    this.frameMs = options.frameMs ?? 20;
    this.minDelayMs = options.minDelayMs ?? 20;
    this.maxDelayMs = options.maxDelayMs ?? 300;
    const quantile = options.onTimeQuantile ?? 0.995;
    if (!Number.isInteger(this.clockRate) || this.clockRate <= 0) throw new JitterBufferError(`clock rate ${this.clockRate} is not a positive integer`);
    this.frameSamples = (this.clockRate * this.frameMs) / 1000;
    if (!Number.isInteger(this.frameSamples) || this.frameSamples <= 0) throw new JitterBufferError(`a ${this.frameMs} ms frame is not a whole number of samples at ${this.clockRate} Hz`);
    if (!(this.minDelayMs >= 0 && this.minDelayMs <= this.maxDelayMs)) throw new JitterBufferError(`delay bounds ${this.minDelayMs}..${this.maxDelayMs} ms are not ordered`);
    if (!(quantile > 0 && quantile < 1)) throw new JitterBufferError(`on-time quantile ${quantile} is not between 0 and 1`);
    this.comfortNoise = new Set(options.comfortNoisePayloadTypes ?? [13]);
    this.isSilence = options.isSilence;
    this.forcedCorrectionAfterMs = options.forcedCorrectionAfterMs ?? 2000;
    this.maxUnderrunMs = options.maxUnderrunMs ?? 80;
    this.estimator = new DelayEstimator({
      maxDelayMs: this.maxDelayMs,
      quantile,
      shortQuantile: Math.min(quantile, 0.98),
      windowMs: RELATIVE_DELAY_WINDOW_MS,
      forgetFactor: HISTOGRAM_FORGET_FACTOR,
    });
  }

  /** The delay the buffer steers to, within the configured bounds. */
  get targetDelayMs(): number {
    return Math.min(this.maxDelayMs, Math.max(this.minDelayMs, this.estimator.targetDelayMs));
  }

  /** The present playout delay beyond the fastest recent packet. */
  get currentDelayMs(): number {
    return this.state === 'playing' ? this.offsetMs - this.estimator.minimumTransitMs : 0;
  }

  /** A packet from the network. Duplicates are counted and dropped; packets too late to play are counted as late. */
  push(packet: ReceivedPacket): void {
    if (this.seen.has(packet.sequence)) {
      this.duplicates++;
      return;
    }
    this.remember(packet.sequence);
    this.received++;
    this.baseSequence = Math.min(this.baseSequence ?? packet.sequence, packet.sequence);
    this.highestSequence = Math.max(this.highestSequence, packet.sequence);

    const extendedTimestamp = this.unwrap(packet.timestamp);
    this.estimator.record(packet.arrivalMs, this.mediaMs(extendedTimestamp));

    if (this.state !== 'buffering' && extendedTimestamp < this.playoutTimestamp) {
      this.late++;
      return;
    }
    const index = this.insertionIndex(extendedTimestamp);
    if (this.buffer[index]?.extendedTimestamp === extendedTimestamp) {
      // Same timestamp under another sequence number: the same media sent twice (RFC 3550 §8.2 aside).
      this.duplicates++;
      return;
    }
    // In order (the usual case): appended, without splice's allocation.
    if (index === this.buffer.length) this.buffer.push({ packet, extendedTimestamp });
    else this.buffer.splice(index, 0, { packet, extendedTimestamp });
    this.discardOverflow();
  }

  /** The next frame for the sound card; call once per frame period. */
  pull(): PlayoutFrame {
    const now = this.clock.now();
    if (this.state !== 'playing') return this.startIfReady(now);
    const raw = now - this.mediaMs(this.playoutTimestamp);
    this.offsetMs = Math.abs(raw - this.offsetMs) > this.frameMs ? raw : this.offsetMs + OFFSET_SMOOTHING * (raw - this.offsetMs);
    return this.playNext(now, true);
  }

  statistics(): JitterBufferStatistics {
    const expected = this.baseSequence === undefined ? 0 : this.highestSequence - this.baseSequence + 1;
    return {
      currentDelayMs: this.currentDelayMs,
      targetDelayMs: this.targetDelayMs,
      meanBufferDelayMs: this.played === 0 ? 0 : this.bufferDelaySumMs / this.played,
      jitterMs: this.estimator.jitterMs,
      bufferedPackets: this.buffer.length,
      received: this.received,
      played: this.played,
      late: this.late,
      lost: Math.max(0, expected - this.received),
      duplicates: this.duplicates,
      concealedFrames: this.concealedFrames,
      insertedFrames: this.insertedFrames,
      droppedFrames: this.droppedFrames,
      driftCorrections: this.driftCorrections,
      talkspurtAdjustments: this.talkspurtAdjustments,
      overflowDiscards: this.overflowDiscards,
    };
  }

  /**
   * Not playing (first packet, or after a talkspurt ended): start with the head packet once it has
   * waited long enough for the delay to equal the target. This is the talkspurt boundary where
   * the delay may move either way without cutting speech (RFC 3551 §4.1).
   */
  private startIfReady(now: number): PlayoutFrame {
    const reason = this.state === 'buffering' ? 'buffering' : 'between-talkspurts';
    const head = this.buffer[0];
    if (head === undefined) return { kind: 'silence', reason };
    const readyAtMs = this.estimator.minimumTransitMs + this.targetDelayMs + this.mediaMs(head.extendedTimestamp);
    const bufferedMs = this.mediaMs((this.buffer.at(-1)?.extendedTimestamp ?? head.extendedTimestamp) - head.extendedTimestamp);
    if (now < readyAtMs && bufferedMs < this.maxDelayMs) return { kind: 'silence', reason };

    const newOffset = now - this.mediaMs(head.extendedTimestamp);
    if (this.state === 'between-talkspurts' && Math.abs(newOffset - this.offsetMs) >= this.frameMs / 2) this.talkspurtAdjustments++;
    this.offsetMs = newOffset;
    this.playoutTimestamp = head.extendedTimestamp;
    this.state = 'playing';
    this.heldFrames = 0;
    this.emptyRunFrames = 0;
    this.offTargetSinceMs = undefined;
    return this.playNext(now, false);
  }

  private playNext(now: number, mayAdjust: boolean): PlayoutFrame {
    const head = this.buffer[0];
    if (head === undefined) return this.underrun();
    this.emptyRunFrames = 0;

    if (head.extendedTimestamp >= this.playoutTimestamp + this.frameSamples) {
      if (this.isTalkspurtStart(head)) {
        this.state = 'between-talkspurts';
        return this.startIfReady(now);
      }
      // Frames were concealed while playout was held; they stand in for the missing ones.
      const gapFrames = Math.floor((head.extendedTimestamp - this.playoutTimestamp) / this.frameSamples);
      const covered = Math.min(gapFrames, this.heldFrames);
      this.playoutTimestamp += covered * this.frameSamples;
      this.offsetMs -= covered * this.frameMs;
      this.heldFrames = 0;
      if (head.extendedTimestamp >= this.playoutTimestamp + this.frameSamples) {
        const missing = this.playoutTimestamp;
        this.playoutTimestamp += this.frameSamples;
        this.concealedFrames++;
        const next = head.extendedTimestamp === this.playoutTimestamp ? head.packet : undefined;
        return { kind: 'conceal', reason: 'loss', timestamp: this.rtpTimestamp(missing), next };
      }
    }

    const silent = this.isSilentPacket(head.packet);
    if (mayAdjust) {
      const adjusted = this.adjustLevel(now, head, silent);
      if (adjusted !== undefined) return adjusted;
    }

    this.buffer.shift();
    this.playoutTimestamp = head.extendedTimestamp + this.frameSamples;
    this.lastPlayedSequence = head.packet.sequence;
    this.lastPlayedSilent = silent;
    // Playout held for the packet that is now playing: the delay grew by those frames.
    this.insertedFrames += this.heldFrames;
    this.heldFrames = 0;
    this.played++;
    this.bufferDelaySumMs += now - head.packet.arrivalMs;
    return { kind: 'packet', packet: head.packet, timestamp: head.packet.timestamp };
  }

  /**
   * Mid-talkspurt level control. A delay below target means late loss is near: a frame is
   * inserted at once (the delay grows fast). A delay a frame or more above target costs only
   * latency: a frame is dropped when it is silent, or after `forcedCorrectionAfterMs` of
   * continuous speech (clock drift with no silence to absorb it). The insert threshold (a quarter
   * frame) and the drop threshold (a frame) leave a dead band, so an insert is never undone.
   */
  private adjustLevel(now: number, head: BufferedPacket, silent: boolean): PlayoutFrame | undefined {
    const deviationMs = this.currentDelayMs - this.targetDelayMs;
    if (deviationMs <= -this.frameMs / 4) {
      // Small deficits are what a slower sender clock produces; larger ones are jitter rising.
      if (deviationMs > -this.frameMs) this.driftCorrections++;
      this.offTargetSinceMs = undefined;
      this.offsetMs += this.frameMs;
      this.insertedFrames++;
      this.concealedFrames++;
      return { kind: 'conceal', reason: 'stretch', timestamp: this.rtpTimestamp(this.playoutTimestamp), next: head.packet };
    }
    if (deviationMs < this.frameMs) {
      this.offTargetSinceMs = undefined;
      return undefined;
    }
    this.offTargetSinceMs ??= now;
    const forced = now - this.offTargetSinceMs >= this.forcedCorrectionAfterMs;
    if (silent || forced) {
      if (forced) this.offTargetSinceMs = now;
      this.buffer.shift();
      this.playoutTimestamp = head.extendedTimestamp + this.frameSamples;
      this.lastPlayedSequence = head.packet.sequence;
      this.offsetMs -= this.frameMs;
      this.droppedFrames++;
      this.driftCorrections++;
      return this.playNext(now, false);
    }
    return undefined;
  }

  /**
   * Nothing buffered. After speech, hold playout (the delay grows by a frame) and let the decoder
   * conceal, as the packet is probably delayed; after silence, or once the wait exceeds
   * `maxUnderrunMs`, take it as the end of the talkspurt.
   */
  private underrun(): PlayoutFrame {
    this.emptyRunFrames++;
    if (this.lastPlayedSilent || this.emptyRunFrames * this.frameMs > this.maxUnderrunMs) {
      this.state = 'between-talkspurts';
      return { kind: 'silence', reason: 'between-talkspurts' };
    }
    this.concealedFrames++;
    if (this.currentDelayMs + this.frameMs <= this.maxDelayMs) {
      this.heldFrames++;
      this.offsetMs += this.frameMs;
      return { kind: 'conceal', reason: 'underrun', timestamp: this.rtpTimestamp(this.playoutTimestamp), next: undefined };
    }
    const missing = this.playoutTimestamp;
    this.playoutTimestamp += this.frameSamples;
    return { kind: 'conceal', reason: 'loss', timestamp: this.rtpTimestamp(missing), next: undefined };
  }

  /**
   * A timestamp gap before this packet is silence, not loss, when the sender marked a new
   * talkspurt (RFC 3551 §4.1), or when the sequence number follows on directly (the sender
   * stopped sending during silence, RFC 3550 §5.1), or when the jump exceeds any usable delay.
   */
  private isTalkspurtStart(head: BufferedPacket): boolean {
    if (head.packet.marker) return true;
    if (this.lastPlayedSequence !== undefined && head.packet.sequence === this.lastPlayedSequence + 1) return true;
    return this.mediaMs(head.extendedTimestamp - this.playoutTimestamp) > this.maxDelayMs;
  }

  private isSilentPacket(packet: ReceivedPacket): boolean {
    return this.comfortNoise.has(packet.payloadType) || (this.isSilence?.(packet) ?? false);
  }

  private discardOverflow(): void {
    const limit = this.maxDelayMs * 2;
    while (this.buffer.length > 1) {
      const first = this.buffer[0];
      const last = this.buffer.at(-1);
      if (first === undefined || last === undefined || this.mediaMs(last.extendedTimestamp - first.extendedTimestamp) <= limit) return;
      this.buffer.shift();
      this.overflowDiscards++;
      if (this.state === 'playing') this.playoutTimestamp = Math.max(this.playoutTimestamp, first.extendedTimestamp + this.frameSamples);
    }
  }

  /** Unwraps a 32-bit RTP timestamp against the highest seen so far (RFC 3550 §5.1 wraps it modulo 2^32). */
  private unwrap(timestamp: number): number {
    if (this.timestampReference === undefined) {
      this.timestampReference = timestamp;
      return timestamp;
    }
    const delta = (timestamp - (this.timestampReference % 0x1_0000_0000)) | 0;
    const extended = this.timestampReference + delta;
    if (delta > 0) this.timestampReference = extended;
    return extended;
  }

  private rtpTimestamp(extended: number): number {
    return ((extended % 0x1_0000_0000) + 0x1_0000_0000) % 0x1_0000_0000;
  }

  private mediaMs(samples: number): number {
    return (samples * 1000) / this.clockRate;
  }

  private insertionIndex(extendedTimestamp: number): number {
    let low = 0;
    let high = this.buffer.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.buffer[middle]?.extendedTimestamp ?? 0) < extendedTimestamp) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private remember(sequence: number): void {
    this.seen.add(sequence);
    if (this.seenCount === SEEN_SEQUENCES_KEPT) {
      // The oldest makes room: its slot takes the newest.
      this.seen.delete(this.seenOrder[this.seenHead]!);
      this.seenOrder[this.seenHead] = sequence;
      this.seenHead = (this.seenHead + 1) % SEEN_SEQUENCES_KEPT;
    } else {
      this.seenOrder[(this.seenHead + this.seenCount) % SEEN_SEQUENCES_KEPT] = sequence;
      this.seenCount++;
    }
  }
}
