/**
 * One call's RTP session (RFC 3550): our outgoing stream and the peer's incoming one, with RTCP
 * reports, symmetric-RTP latching (RFC 4961) and optional SRTP. It owns no socket and no real
 * time: datagrams come in through `receive()`, go out through `send`, and time is the clock's.
 *
 *   receive(datagram, source, channel)
 *     ├─ RTCP? (own port, or RFC 5761 §4 demux)  → unprotect SRTCP → §A.2 checks → latch → SR/RR/BYE
 *     └─ RTP                                      → unprotect SRTP  → §5.1 checks → latch → §A.1 → onRtp
 *
 * Whatever is wrong with a received datagram is counted under a reason and dropped; nothing
 * received ever throws out of `receive()`.
 */
import { randomInt } from 'node:crypto';
import { SrtpError, type SrtpErrorCode } from '../srtp/srtp-error.js';
import { estimateMos, type CodecImpairment } from './e-model.js';
import { ntpFromUnixMilliseconds, ntpMiddle32 } from './ntp-time.js';
import { rtcpInterval, updateAverageRtcpSize } from './rtcp-interval.js';
import { isRtcpPacket } from './rtcp-mux.js';
import { parseRtcpCompound, SDES_CNAME, serializeRtcpCompound, type RtcpPacket, type RtcpReportBlock } from './rtcp-packet.js';
import { parseRtpPacket, writeRtpFixedHeader, RTP_FIXED_HEADER_LENGTH, type RtpPacket } from './rtp-packet.js';
import { RtpParseError, type RtpParseErrorCode } from './rtp-parse-error.js';
import { MIN_SEQUENTIAL, RtpSourceStatistics, type RtpSourceSnapshot } from './rtp-source-statistics.js';
import { SourceLatch, type LatchVerdict, type TransportAddress } from './source-latch.js';

export type RtpChannel = 'rtp' | 'rtcp';

export interface RtpDestination extends TransportAddress {
  readonly channel: RtpChannel;
}

export interface RtpTimer {
  cancel(): void;
}

/** Wall-clock time in milliseconds since the Unix epoch (SR carries it as NTP, §6.4.1) and timers. */
export interface RtpClock {
  now(): number;
  setTimer(callback: () => void, ms: number): RtpTimer;
}

export const systemClock: RtpClock = {
  now: () => Date.now(),
  setTimer(callback, ms) {
    const handle = setTimeout(callback, ms);
    return { cancel: () => clearTimeout(handle) };
  },
};

/** SRTP/SRTCP for both directions; `SrtpSession` is one. Refusals are `SrtpError`s. */
export interface RtpSecurity {
  protectRtp(packet: Uint8Array): Uint8Array;
  unprotectRtp(packet: Uint8Array): Uint8Array;
  protectRtcp(packet: Uint8Array): Uint8Array;
  unprotectRtcp(packet: Uint8Array): Uint8Array;
}

/** Upward reports (ARCHITECTURE: a delegate, not string events). */
export interface RtpSessionDelegate {
  /** A valid packet of the peer's stream, in arrival order (the jitter buffer reorders). */
  onRtp?(packet: RtpPacket): void;
  /** The peer started a new source (RFC 3550 §8: new SSRC); its statistics start again. */
  onSourceChange?(ssrc: number, previous: number | undefined): void;
  /** RFC 3550 §6.6: the peer's source left. */
  onBye?(ssrc: number, reason: string | undefined): void;
  /** We now send this channel to `remote` (RFC 4961 latching). */
  onLatch?(remote: TransportAddress, channel: RtpChannel): void;
}

export type RtpDropReason =
  | RtpParseErrorCode
  /** From an address other than the latched one, with another SSRC. */
  | 'foreign_source'
  /** Our peer's SSRC from a new address, not yet confirmed by enough packets in a row. */
  | 'unconfirmed_source'
  /** §A.1: a new source still on probation, or a large sequence jump not yet confirmed. */
  | 'probation'
  | 'sequence_jump'
  /** A source the peer has replaced or said BYE for. */
  | 'old_source'
  /** Our own SSRC coming back: a loop or a collision (§8.2). */
  | 'own_ssrc'
  /** RTP received after stop(). */
  | 'stopped'
  | `srtp_${SrtpErrorCode}`;

export interface RtpSessionOptions {
  send(packet: Uint8Array, to: RtpDestination): void;
  readonly clockRate: number;
  readonly payloadType: number;
  /** §6.5.1 CNAME: stable for the endpoint, e.g. a random token; never the user's name. */
  readonly cname: string;
  /** From the peer's SDP, until latching learns better. */
  readonly remoteRtp: TransportAddress;
  /** Default: the RTP port + 1 (RFC 3550 §11), or the RTP address with rtcp-mux. */
  readonly remoteRtcp?: TransportAddress;
  /** RTP and RTCP on one port (RFC 5761). */
  readonly rtcpMux?: boolean;
  readonly security?: RtpSecurity;
  readonly clock?: RtpClock;
  /** [0, 1), for the RTCP interval (§6.3.1). */
  readonly random?: () => number;
  /** A random 32-bit integer, for SSRC, initial sequence number and timestamp (§5.1). */
  readonly randomUint32?: () => number;
  /** Packets in a row from a new address before we re-latch to it. Default 3. */
  readonly relatchAfter?: number;
  /** §A.1 MIN_SEQUENTIAL for a new peer source. Default 2. */
  readonly minSequential?: number;
  /** Session bandwidth in bits per second (§6.2; 5% of it is RTCP). Default 80 kbit/s: G.711 plus headers. */
  readonly sessionBandwidth?: number;
  /** For the MOS estimate. Default G.711 with PLC. */
  readonly codec?: CodecImpairment;
  /** Jitter buffer and packetisation delay added to half the RTT for the MOS estimate. Default 60 ms. */
  readonly playoutDelayMs?: number;
  readonly delegate?: RtpSessionDelegate;
}

export interface SendRtpOptions {
  /** Timestamp units this packet covers; the next packet's timestamp is this much later. */
  readonly samples: number;
  readonly payloadType?: number;
  /** Default: set on the first packet of a talkspurt (RFC 3551 §4.1). */
  readonly marker?: boolean;
}

export interface RtpReceptionReport {
  readonly fractionLost: number;
  readonly cumulativeLost: number;
  readonly jitter: number;
}

export interface RtpSessionStatistics {
  readonly ssrc: number;
  readonly packetsSent: number;
  readonly octetsSent: number;
  readonly remoteSsrc: number | undefined;
  readonly received: RtpSourceSnapshot | undefined;
  /** The peer's view of our stream, from its last RR/SR. */
  readonly remoteReport: RtpReceptionReport | undefined;
  /** §6.4.1: from the LSR and DLSR of a report about us. */
  readonly roundTripTimeMs: number | undefined;
  /** Estimated MOS of what we receive (ITU-T G.107), once the peer's source is valid. */
  readonly mos: number | undefined;
  readonly dropped: Readonly<Partial<Record<RtpDropReason, number>>>;
  readonly rtcpSent: number;
  readonly rtcpReceived: number;
}

/** IPv4 + UDP header octets, counted in the RTCP size average (§6.3.3). */
const LOWER_LAYER_OVERHEAD = 28;

const defaultRandomUint32 = (): number => randomInt(0, 0x1_0000_0000);

export class RtpSession {
  readonly ssrc: number;
  private readonly clock: RtpClock;
  private readonly random: () => number;
  private readonly rtpLatch: SourceLatch;
  private readonly rtcpLatch: SourceLatch;
  private remoteRtp: TransportAddress;
  private remoteRtcp: TransportAddress;
  /** `remoteRtp` as `send` is given it, made again only when it changes (not per packet). */
  private rtpDestination: RtpDestination;
  private sequenceNumber: number;
  private timestamp: number;
  private talkspurtStart = true;
  private packetsSent = 0;
  private octetsSent = 0;
  private lastSentAt: number | undefined;
  private lastSentTimestamp = 0;
  private sentSinceReport = false;
  private sentInPreviousInterval = false;
  private peer: RtpSourceStatistics | undefined;
  private readonly oldSources = new Set<number>();
  private peerSentSinceReport = false;
  private lastSenderReport: { middle: number; receivedAt: number } | undefined;
  private remoteReport: RtpReceptionReport | undefined;
  private roundTripTimeMs: number | undefined;
  private readonly dropped: Partial<Record<RtpDropReason, number>> = {};
  private averageRtcpSize = 0;
  private rtcpSent = 0;
  private rtcpReceived = 0;
  private timer: RtpTimer | undefined;
  private state: 'idle' | 'running' | 'stopped' = 'idle';

  constructor(private readonly options: RtpSessionOptions) {
    if (!Number.isInteger(options.clockRate) || options.clockRate <= 0) throw new RangeError(`clock rate must be a positive integer: ${options.clockRate}`);
    if (!Number.isInteger(options.payloadType) || options.payloadType < 0 || options.payloadType > 127) throw new RangeError(`payload type out of range: ${options.payloadType}`);
    if (options.rtcpMux && options.payloadType >= 64 && options.payloadType <= 95) throw new RangeError('payload types 64-95 clash with RTCP under rtcp-mux (RFC 5761 §4)');
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    const random32 = options.randomUint32 ?? defaultRandomUint32;
    // §5.1, §8.1: SSRC, initial sequence number and timestamp are random.
    this.ssrc = random32() >>> 0;
    this.sequenceNumber = random32() & 0xffff;
    this.timestamp = random32() >>> 0;
    this.rtpLatch = new SourceLatch(options.relatchAfter ?? 3);
    this.rtcpLatch = options.rtcpMux ? this.rtpLatch : new SourceLatch(options.relatchAfter ?? 3);
    this.remoteRtp = options.remoteRtp;
    this.remoteRtcp = options.remoteRtcp ?? (options.rtcpMux ? options.remoteRtp : { address: options.remoteRtp.address, port: options.remoteRtp.port + 1 });
    this.rtpDestination = { channel: 'rtp', ...this.remoteRtp };
    // §6.3.2: start the average at the size of the first packet we will probably send.
    this.averageRtcpSize = 8 + 24 + 8 + options.cname.length + LOWER_LAYER_OVERHEAD;
  }

  /** Starts RTCP: the first report after half the minimum interval (§6.3.2). */
  start(): void {
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.scheduleReport(true);
  }

  /**
   * Ends the session: stops the reports and, if we ever sent anything, says BYE in a compound
   * packet (§6.6; §6.3.7: a participant that never sent RTP or RTCP sends no BYE).
   */
  stop(reason?: string): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.timer?.cancel();
    this.timer = undefined;
    if (this.packetsSent === 0 && this.rtcpSent === 0) return;
    this.sendRtcp([...this.reportPackets(), { type: 'bye', sources: [this.ssrc], ...(reason === undefined ? {} : { reason }) }]);
  }

  /** Sends one media packet; a no-op once stopped. */
  sendRtp(payload: Uint8Array, options: SendRtpOptions): void {
    if (this.state === 'stopped') return;
    if (!Number.isInteger(options.samples) || options.samples < 0) throw new RangeError(`samples must be a non-negative integer: ${options.samples}`);
    const payloadType = options.payloadType ?? this.options.payloadType;
    if (!Number.isInteger(payloadType) || payloadType < 0 || payloadType > 0x7f) throw new RangeError(`RTP payload type out of range: ${payloadType}`);
    // §5.1: the fixed header (no CSRC, extension or padding), then the payload, in one buffer.
    const packet = new Uint8Array(RTP_FIXED_HEADER_LENGTH + payload.length);
    writeRtpFixedHeader(packet, options.marker ?? this.talkspurtStart, payloadType, this.sequenceNumber, this.timestamp, this.ssrc);
    packet.set(payload, RTP_FIXED_HEADER_LENGTH);
    this.talkspurtStart = false;
    this.lastSentAt = this.clock.now();
    this.lastSentTimestamp = this.timestamp;
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    this.timestamp = (this.timestamp + options.samples) >>> 0;
    this.packetsSent++;
    this.octetsSent += payload.length;
    this.sentSinceReport = true;
    const wire = this.options.security ? this.options.security.protectRtp(packet) : packet;
    this.options.send(wire, this.rtpDestination);
  }

  /**
   * Silence (DTX, hold): time passes without packets. The timestamp moves on and the next
   * packet opens a talkspurt, so it carries the marker bit (RFC 3551 §4.1).
   */
  skipSamples(samples: number): void {
    if (!Number.isInteger(samples) || samples < 0) throw new RangeError(`samples must be a non-negative integer: ${samples}`);
    this.timestamp = (this.timestamp + samples) >>> 0;
    this.talkspurtStart = true;
  }

  /**
   * A datagram from the network. `channel` is the socket it came in on; with rtcp-mux, RTCP
   * is told from RTP by RFC 5761 §4.
   */
  receive(datagram: Uint8Array, source: TransportAddress, channel: RtpChannel = 'rtp'): void {
    if (this.state === 'stopped') {
      this.drop('stopped');
      return;
    }
    const rtcp = channel === 'rtcp' || (this.options.rtcpMux === true && isRtcpPacket(datagram));
    try {
      if (rtcp) this.receiveRtcp(datagram, source);
      else this.receiveRtp(datagram, source);
    } catch (error: unknown) {
      if (error instanceof RtpParseError) this.drop(error.code);
      else if (error instanceof SrtpError) this.drop(`srtp_${error.code}`);
      else throw error;
    }
  }

  get remote(): { readonly rtp: TransportAddress; readonly rtcp: TransportAddress } {
    return { rtp: this.remoteRtp, rtcp: this.remoteRtcp };
  }

  statistics(): RtpSessionStatistics {
    const received = this.peer?.snapshot();
    let mos: number | undefined;
    if (this.peer?.isValid && received && received.expected > 0) {
      mos = estimateMos({
        codec: this.options.codec ?? { ie: 0, bpl: 25.1 },
        lossPercent: (100 * Math.max(0, received.cumulativeLost)) / received.expected,
        delayMs: (this.roundTripTimeMs ?? 0) / 2 + (this.options.playoutDelayMs ?? 60),
      });
    }
    return {
      ssrc: this.ssrc,
      packetsSent: this.packetsSent,
      octetsSent: this.octetsSent,
      remoteSsrc: this.peer?.ssrc,
      received,
      remoteReport: this.remoteReport,
      roundTripTimeMs: this.roundTripTimeMs,
      mos,
      dropped: { ...this.dropped },
      rtcpSent: this.rtcpSent,
      rtcpReceived: this.rtcpReceived,
    };
  }

  private drop(reason: RtpDropReason): void {
    this.dropped[reason] = (this.dropped[reason] ?? 0) + 1;
  }

  private latch(latch: SourceLatch, channel: RtpChannel, source: TransportAddress, ssrc: number): boolean {
    const before = latch.latched;
    const verdict: LatchVerdict = latch.check(source, ssrc, this.peer?.ssrc);
    if (verdict === 'foreign_source' || verdict === 'unconfirmed_source') {
      this.drop(verdict);
      return false;
    }
    const now = latch.latched;
    if (now && now !== before) {
      const channels: RtpChannel[] = latch === this.rtpLatch && this.options.rtcpMux ? ['rtp', 'rtcp'] : [channel];
      for (const which of channels) {
        if (which === 'rtp') {
          this.remoteRtp = now;
          this.rtpDestination = { channel: 'rtp', ...now };
        } else {
          this.remoteRtcp = now;
        }
        this.options.delegate?.onLatch?.(now, which);
      }
    }
    return true;
  }

  private receiveRtp(datagram: Uint8Array, source: TransportAddress): void {
    // The header is checked before SRTP so that garbage costs no cryptography.
    parseRtpHeaderOnly(datagram);
    const plain = this.options.security ? this.options.security.unprotectRtp(datagram) : datagram;
    const packet = parseRtpPacket(plain);
    if (packet.ssrc === this.ssrc) {
      this.drop('own_ssrc');
      return;
    }
    if (this.oldSources.has(packet.ssrc)) {
      this.drop('old_source');
      return;
    }
    if (!this.latch(this.rtpLatch, 'rtp', source, packet.ssrc)) return;
    if (this.peer === undefined || this.peer.ssrc !== packet.ssrc) {
      // §8: a new SSRC is a new source; its statistics start from nothing.
      const previous = this.peer?.ssrc;
      if (previous !== undefined) this.oldSources.add(previous);
      this.peer = new RtpSourceStatistics(packet.ssrc, packet.sequenceNumber, this.options.minSequential ?? MIN_SEQUENTIAL);
      this.lastSenderReport = undefined;
      this.options.delegate?.onSourceChange?.(packet.ssrc, previous);
    }
    const arrival = (this.clock.now() * this.options.clockRate) / 1000;
    if (!this.peer.receive(packet.sequenceNumber, packet.timestamp, arrival, packet.payload.length)) {
      this.drop(this.peer.isValid ? 'sequence_jump' : 'probation');
      return;
    }
    this.peerSentSinceReport = true;
    this.options.delegate?.onRtp?.(packet);
  }

  private receiveRtcp(datagram: Uint8Array, source: TransportAddress): void {
    const plain = this.options.security ? this.options.security.unprotectRtcp(datagram) : datagram;
    const packets = parseRtcpCompound(plain);
    const first = packets[0];
    // §A.2 guarantees the first is an SR or RR; its SSRC names the sender.
    const sender = first && (first.type === 'sr' || first.type === 'rr') ? first.ssrc : 0;
    if (sender === this.ssrc) {
      this.drop('own_ssrc');
      return;
    }
    if (this.oldSources.has(sender)) {
      this.drop('old_source');
      return;
    }
    if (!this.latch(this.rtcpLatch, 'rtcp', source, sender)) return;
    this.rtcpReceived++;
    this.averageRtcpSize = updateAverageRtcpSize(this.averageRtcpSize, datagram.length + LOWER_LAYER_OVERHEAD);
    const now = this.clock.now();
    for (const packet of packets) {
      switch (packet.type) {
        case 'sr':
          if (packet.ssrc === this.peer?.ssrc) {
            this.lastSenderReport = { middle: ntpMiddle32({ seconds: packet.ntpSeconds, fraction: packet.ntpFraction }), receivedAt: now };
          }
          this.readReportBlocks(packet.reports, now);
          break;
        case 'rr':
          this.readReportBlocks(packet.reports, now);
          break;
        case 'bye':
          for (const ssrc of packet.sources) {
            if (ssrc !== this.peer?.ssrc) continue;
            this.oldSources.add(ssrc);
            this.options.delegate?.onBye?.(ssrc, packet.reason);
          }
          break;
        case 'sdes':
        case 'other':
          break;
      }
    }
  }

  /** §6.4.1: RTT = A − LSR − DLSR, all in 1/65536 s, A being when the report arrived. */
  private readReportBlocks(reports: readonly RtcpReportBlock[], now: number): void {
    for (const block of reports) {
      if (block.ssrc !== this.ssrc) continue;
      this.remoteReport = { fractionLost: block.fractionLost, cumulativeLost: block.cumulativeLost, jitter: block.jitter };
      if (block.lastSenderReport === 0) continue;
      const arrival = ntpMiddle32(ntpFromUnixMilliseconds(now));
      const rtt = (arrival - block.lastSenderReport - block.delaySinceLastSenderReport) >>> 0;
      // A negative result (clock skew, a forged report) wraps to a huge value: ignore it.
      if (rtt < 0x8000_0000) this.roundTripTimeMs = (rtt * 1000) / 65536;
    }
  }

  /** SR if we sent media in the last two intervals, else RR (§6.4), then SDES CNAME (§6.1). */
  private reportPackets(): RtcpPacket[] {
    const now = this.clock.now();
    const reports: RtcpReportBlock[] = [];
    if (this.peer?.isValid) {
      const lsr = this.lastSenderReport;
      // DLSR in 1/65536 s since that SR arrived (§6.4.1).
      const dlsr = lsr ? Math.floor(((now - lsr.receivedAt) * 65536) / 1000) >>> 0 : 0;
      reports.push(this.peer.reportBlock(lsr?.middle ?? 0, dlsr));
    }
    const sdes: RtcpPacket = { type: 'sdes', chunks: [{ source: this.ssrc, items: [{ type: SDES_CNAME, value: this.options.cname }] }] };
    if (this.sentSinceReport || this.sentInPreviousInterval) {
      const ntp = ntpFromUnixMilliseconds(now);
      // §6.4.1: the RTP timestamp of the same instant as the NTP one, extrapolated from the last packet.
      const elapsed = this.lastSentAt === undefined ? 0 : ((now - this.lastSentAt) * this.options.clockRate) / 1000;
      return [
        {
          type: 'sr',
          ssrc: this.ssrc,
          ntpSeconds: ntp.seconds,
          ntpFraction: ntp.fraction,
          rtpTimestamp: (this.lastSentTimestamp + Math.floor(elapsed)) >>> 0,
          packetCount: this.packetsSent >>> 0,
          octetCount: this.octetsSent >>> 0,
          reports,
        },
        sdes,
      ];
    }
    return [{ type: 'rr', ssrc: this.ssrc, reports }, sdes];
  }

  private sendRtcp(packets: RtcpPacket[]): void {
    const compound = serializeRtcpCompound(packets);
    const wire = this.options.security ? this.options.security.protectRtcp(compound) : compound;
    this.rtcpSent++;
    this.averageRtcpSize = updateAverageRtcpSize(this.averageRtcpSize, wire.length + LOWER_LAYER_OVERHEAD);
    this.options.send(wire, { channel: 'rtcp', ...this.remoteRtcp });
  }

  private scheduleReport(initial: boolean): void {
    const weSent = this.sentSinceReport || this.sentInPreviousInterval;
    const peerSent = this.peerSentSinceReport;
    const delay = rtcpInterval(
      {
        members: this.peer ? 2 : 1,
        senders: (weSent ? 1 : 0) + (peerSent ? 1 : 0),
        rtcpBandwidth: (0.05 * (this.options.sessionBandwidth ?? 80_000)) / 8,
        weSent,
        averageRtcpSize: this.averageRtcpSize,
        initial,
      },
      this.random,
    );
    this.timer = this.clock.setTimer(() => this.onReportTimer(), Math.round(delay));
  }

  private onReportTimer(): void {
    if (this.state !== 'running') return;
    this.sendRtcp(this.reportPackets());
    this.sentInPreviousInterval = this.sentSinceReport;
    this.sentSinceReport = false;
    this.peerSentSinceReport = false;
    this.scheduleReport(false);
  }
}

/** The §5.1 checks that need no decryption: version 2 and room for the fixed header. */
function parseRtpHeaderOnly(datagram: Uint8Array): void {
  if (datagram.length < 12) throw new RtpParseError('too_short', `RTP packet of ${datagram.length} octets`);
  if ((datagram[0] ?? 0) >>> 6 !== 2) throw new RtpParseError('bad_version', `RTP version ${(datagram[0] ?? 0) >>> 6}, expected 2`);
}
