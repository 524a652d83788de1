/** RFC 3550 §4: NTP timestamps, seconds since 1 January 1900 with a 32-bit fraction. */

/** Seconds from 1900-01-01 to the Unix epoch (RFC 868). */
const NTP_UNIX_OFFSET = 2_208_988_800;

export interface NtpTimestamp {
  readonly seconds: number;
  readonly fraction: number;
}

export function ntpFromUnixMilliseconds(ms: number): NtpTimestamp {
  const total = ms / 1000 + NTP_UNIX_OFFSET;
  const seconds = Math.floor(total);
  return { seconds: seconds >>> 0, fraction: Math.floor((total - seconds) * 0x1_0000_0000) >>> 0 };
}

/** §6.4.1: the middle 32 bits of an NTP timestamp, as LSR carries it. */
export function ntpMiddle32(ntp: NtpTimestamp): number {
  return (((ntp.seconds & 0xffff) << 16) | (ntp.fraction >>> 16)) >>> 0;
}
