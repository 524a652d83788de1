/**
 * Why an offer could not be answered, or an answer does not fit our offer. Each reason carries the
 * Warning code of RFC 3261 §20.43 that says so to the peer.
 */
export type SdpNegotiationReason =
  /** No media type we can use (RFC 3261 §20.43: 304 Media type not available). */
  | 'media_type_not_available'
  /** Audio offered, but no codec in common (305 Incompatible media format). */
  | 'incompatible_media_format'
  /** Audio offered over a transport profile we do not speak (302 Incompatible transport protocol). */
  | 'incompatible_transport_protocol'
  /** The connection address is not a unicast IP literal we can reach (301 Incompatible network address formats). */
  | 'incompatible_network_address'
  /** The answer breaks RFC 3264 §6 (m-line count or order, payload types never offered). */
  | 'answer_mismatch';

const WARN_CODES: Readonly<Record<SdpNegotiationReason, number>> = {
  incompatible_network_address: 301,
  incompatible_transport_protocol: 302,
  media_type_not_available: 304,
  incompatible_media_format: 305,
  answer_mismatch: 399,
};

/**
 * The offer/answer exchange failed (RFC 3264). For an offer received in a request, the caller
 * answers 488 Not Acceptable Here with `Warning: <warnCode> <host> "<message>"` (RFC 3261
 * §21.4.26, §20.43); for an unusable answer, it ends the session (RFC 3261 §13.2.2.4: ACK, then BYE).
 */
export class SdpNegotiationError extends Error {
  override readonly name: string = 'SdpNegotiationError';
  /** The SIP status to answer an unacceptable offer with (RFC 3261 §21.4.26). */
  readonly statusCode = 488;
  /** Warning header code (RFC 3261 §20.43). */
  readonly warnCode: number;

  constructor(
    readonly reason: SdpNegotiationReason,
    message: string,
  ) {
    super(message);
    this.warnCode = WARN_CODES[reason];
  }
}
