/** Why a datagram is not an RTP or RTCP packet we will read (RFC 3550 §5.1, §6.4, §A.1, §A.2). */
export type RtpParseErrorCode =
  /** Shorter than the fixed header, or than what the header says follows it. */
  | 'too_short'
  /** Version field is not 2 (RFC 3550 §5.1). */
  | 'bad_version'
  /** The P bit is set but the last octet counts more padding than there is room for (§5.1). */
  | 'bad_padding'
  /** A length field points past the end of the datagram (§5.3.1, §6.4). */
  | 'bad_length'
  /** An RTCP compound packet that breaks the rules of §A.2 (first packet SR/RR, padding only last). */
  | 'bad_compound';

/**
 * A datagram from the network that is not a well-formed RTP or RTCP packet. Network input is
 * untrusted: the session counts and drops these, it never lets them escape.
 */
export class RtpParseError extends Error {
  override readonly name: string = 'RtpParseError';

  constructor(
    readonly code: RtpParseErrorCode,
    message: string,
  ) {
    super(message);
  }
}
