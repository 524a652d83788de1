/** Why a protected packet was refused (RFC 3711 §3.3, §3.4). */
export type SrtpErrorCode =
  /** Shorter than its header plus the authentication tag (and SRTCP index). */
  | 'too_short'
  /** The authentication tag does not match (§3.3 step 5): wrong key, or a changed packet. */
  | 'authentication_failed'
  /** Already received, or older than the replay window (§3.3.2). */
  | 'replayed'
  /** The master key has protected as many packets as its lifetime allows (§9.2, RFC 4568 §6.1). */
  | 'key_expired';

/**
 * A packet SRTP refuses. On receipt the session counts and drops it (RFC 3711 §3.3: "the packet
 * MUST be discarded"); it never reaches the application.
 */
export class SrtpError extends Error {
  override readonly name: string = 'SrtpError';

  constructor(
    readonly code: SrtpErrorCode,
    message: string,
  ) {
    super(message);
  }
}
