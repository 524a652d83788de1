/**
 * An RTP packet as the jitter buffer sees it (RFC 3550 §5.1), already parsed and, for SRTP,
 * authenticated and decrypted by the layers below. Defined here so the jitter buffer depends on
 * nothing but this shape.
 */
export interface ReceivedPacket {
  /** Extended sequence number: the 16-bit RTP sequence number plus the wrap count (RFC 3550 §A.1). */
  readonly sequence: number;
  /** 32-bit RTP timestamp in clock-rate units (RFC 3550 §5.1). */
  readonly timestamp: number;
  /** Marker bit: for audio, the first packet of a talkspurt (RFC 3551 §4.1). */
  readonly marker: boolean;
  readonly payloadType: number;
  readonly payload: Uint8Array;
  /** Local arrival time in milliseconds, read from the same clock the buffer is given. */
  readonly arrivalMs: number;
}

/** The time source shared by the receiving and the playout side (injected so tests control it). */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
}
