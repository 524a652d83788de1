/** Limits on what we read from the network (ARCHITECTURE.md: parsed with limits). */
export interface SdpLimits {
  /** Largest body we parse, in bytes of UTF-8. A SIP phone's offer is well under 2 KiB. */
  readonly maxBytes: number;
  /** Most m= lines we look at. */
  readonly maxMediaDescriptions: number;
  /** Most formats on one m= line. */
  readonly maxFormatsPerMedia: number;
}

export const DEFAULT_SDP_LIMITS: SdpLimits = Object.freeze({
  maxBytes: 16 * 1024,
  maxMediaDescriptions: 16,
  maxFormatsPerMedia: 64,
});
