import { randomBytes } from 'node:crypto';
import type { AnswerResult } from './create-answer.js';
import { createAnswer } from './create-answer.js';
import { createOffer } from './create-offer.js';
import type { LocalAudio, LocalDescription } from './local-description.js';
import type { MediaDirection } from './media-direction.js';
import { holdDirection } from './media-direction.js';
import type { NegotiatedAudio } from './negotiated-audio.js';
import { processAnswer } from './process-answer.js';
import type { SdpLimits } from './sdp-limits.js';
import { DEFAULT_SDP_LIMITS } from './sdp-limits.js';

/** A fresh o= sess-id: 62 random bits in decimal (RFC 4566 §5.2: globally unique is enough). */
export function newSessionId(): string {
  return (randomBytes(8).readBigUInt64BE() >> 2n).toString();
}

export interface SessionDescriptionStateOptions {
  readonly sessionId?: string;
  /** The first o= sess-version; 0 unless given (RFC 4566 §5.2 suggests an NTP timestamp, any number will do). */
  readonly sessionVersion?: number;
  readonly username?: string;
  readonly address: string;
  /** `direction` is the one we want when not holding, normally sendrecv. */
  readonly audio: LocalAudio;
  readonly limits?: SdpLimits;
}

/**
 * Our side of one session's offer/answer exchanges (RFC 3264 §8): the o= line, its version, the
 * offer waiting for an answer, and hold.
 *
 * The version goes up by one each time our description changes, and stays the same when an
 * unchanged description is sent again (§8): every description we write is compared, o= line aside,
 * with the one we sent last.
 *
 * ```
 *   idle ──createOffer()──▶ offer pending ──processAnswer()──▶ idle
 *     │                        └─────────offerFailed()────────▶ idle
 *     └──createAnswer(offer)──▶ idle
 * ```
 */
export class SessionDescriptionState {
  readonly sessionId: string;
  private version: number;
  private username: string | undefined;
  private address: string;
  private audio: LocalAudio;
  private readonly limits: SdpLimits;
  /** What we last sent, without its o= line. */
  private lastSent: string | undefined;
  private pendingOffer: string | undefined;
  private held = false;
  /** Our direction in the last completed exchange. */
  private agreed: MediaDirection | undefined;

  constructor(options: SessionDescriptionStateOptions) {
    this.sessionId = options.sessionId ?? newSessionId();
    this.version = options.sessionVersion ?? 0;
    this.username = options.username;
    this.address = options.address;
    this.audio = options.audio;
    this.limits = options.limits ?? DEFAULT_SDP_LIMITS;
  }

  /** The o= sess-version of the description we last wrote. */
  get sessionVersion(): number {
    return this.version;
  }

  get onHold(): boolean {
    return this.held;
  }

  get offerPending(): boolean {
    return this.pendingOffer !== undefined;
  }

  /** Changes what the next description says (new port, codecs, address...). */
  update(change: { readonly address?: string; readonly username?: string; readonly audio?: Partial<LocalAudio> }): void {
    if (change.address !== undefined) this.address = change.address;
    if (change.username !== undefined) this.username = change.username;
    if (change.audio !== undefined) this.audio = { ...this.audio, ...change.audio };
  }

  /** The next offer will put the peer on hold (RFC 6337 §5.3). */
  hold(): void {
    this.held = true;
  }

  /** The next offer will resume: our wanted direction again, normally sendrecv (RFC 6337 §5.3). */
  resume(): void {
    this.held = false;
  }

  /**
   * An offer for INVITE, re-INVITE or UPDATE. When holding: sendonly, or inactive if the peer
   * already holds us (our agreed direction was recvonly) (RFC 3264 §8.4, RFC 6337 §5.3).
   */
  createOffer(): string {
    if (this.pendingOffer !== undefined) throw new Error('an offer is already waiting for its answer (RFC 3264 §4)');
    const direction = this.held ? holdDirection(this.agreed ?? this.audio.direction) : this.audio.direction;
    const sdp = this.describe((local) => createOffer(local), direction);
    this.pendingOffer = sdp;
    return sdp;
  }

  /** The answer to our pending offer. A typed error leaves the offer pending: call offerFailed(). */
  processAnswer(answer: string): NegotiatedAudio {
    if (this.pendingOffer === undefined) throw new Error('no offer is waiting for an answer');
    const negotiated = processAnswer(this.pendingOffer, answer, this.limits);
    this.pendingOffer = undefined;
    this.agreed = negotiated.direction;
    return negotiated;
  }

  /** Our offer was refused (488, 491, timeout): the session stays as it was (RFC 3261 §14.1). */
  offerFailed(): void {
    this.pendingOffer = undefined;
  }

  /** Answers an offer; while holding, we answer as a holder would: sendonly or inactive (RFC 6337 §5.3). */
  createAnswer(offer: string): AnswerResult {
    if (this.pendingOffer !== undefined) throw new Error('an offer of ours is pending: glare is answered 491 (RFC 3261 §14.2)');
    const direction = this.held ? holdDirection(this.audio.direction) : this.audio.direction;
    let result: AnswerResult | undefined;
    this.describe((local) => {
      result = createAnswer(offer, local, this.limits);
      return result.sdp;
    }, direction);
    if (result === undefined) throw new Error('unreachable: the answer was written');
    this.agreed = result.negotiated.direction;
    return result;
  }

  /** Writes with the current version; if the body differs from the last one sent, bumps it (§8). */
  private describe(write: (local: LocalDescription) => string, direction: MediaDirection): string {
    const local = (version: number): LocalDescription => ({
      sessionId: this.sessionId,
      sessionVersion: version,
      ...(this.username === undefined ? {} : { username: this.username }),
      address: this.address,
      audio: { ...this.audio, direction },
    });
    let sdp = write(local(this.version));
    if (this.lastSent !== undefined && withoutOrigin(sdp) !== this.lastSent) {
      sdp = write(local(this.version + 1));
      this.version += 1;
    }
    this.lastSent = withoutOrigin(sdp);
    return sdp;
  }
}

function withoutOrigin(sdp: string): string {
  return sdp.replace(/^o=.*$/m, '');
}
