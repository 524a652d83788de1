/**
 * SRTP and SRTCP packet transforms (RFC 3711 §3.3, §3.4) for one master key, with AES-CM and
 * HMAC-SHA1 (§4.1.1, §4.2) or AES-GCM (RFC 7714 §8, §9). One context protects (our key) or
 * unprotects (the peer's key); `SrtpSession` pairs two of them for a call.
 *
 *   SRTP:   header | encrypted payload (incl. RTP padding) | auth tag
 *   SRTCP:  first 8 octets | encrypted rest | E + 31-bit SRTCP index | auth tag   (AES-CM)
 *           first 8 octets | encrypted rest + GCM tag | E + 31-bit SRTCP index   (RFC 7714 §9.2)
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { readUint16, readUint32, writeUint32 } from '../rtp/rtp-packet.js';
import { SRTP_CRYPTO_SUITES, type SrtpCryptoSuite, type SrtpCryptoSuiteName } from './srtp-crypto-suite.js';
import { SrtpError } from './srtp-error.js';
import { deriveSrtpKeys, type SrtpSessionKeys } from './srtp-key-derivation.js';
import { SrtpReplayWindow } from './srtp-replay-window.js';

export interface SrtpKeyMaterial {
  readonly suite: SrtpCryptoSuiteName;
  readonly masterKey: Uint8Array;
  readonly masterSalt: Uint8Array;
  /** Packets this master key may protect (RFC 4568 §6.1 lifetime); capped by §9.2 at 2^48 / 2^31. */
  readonly lifetime?: number;
}

export interface SrtpContextOptions {
  /** §3.3.2 replay window; at least 64 (RFC 4568 §6.3.7 WSH). */
  readonly replayWindow?: number;
  /**
   * Session keys to use instead of deriving them (§4.3) from the master key: for published
   * known-answer vectors (RFC 7714 §16) that start from session keys.
   */
  readonly sessionKeys?: { readonly rtp: SrtpSessionKeys; readonly rtcp: SrtpSessionKeys };
}

/** RFC 3711 §9.2 maximum packets per master key. */
const MAX_SRTP_PACKETS = 2 ** 48;
const MAX_SRTCP_PACKETS = 2 ** 31;
/** Remote sources we keep state for; more is an attack or a bug, and the oldest is forgotten. */
const MAX_SOURCES = 32;
const SRTCP_E_BIT = 0x8000_0000;

interface RtpSendState {
  roc: number;
  highestSeq: number;
}

interface RtpReceiveState {
  roc: number;
  /** §3.3.1 s_l: the highest sequence number authenticated so far. */
  highestSeq: number;
  readonly replay: SrtpReplayWindow;
}

interface RtcpReceiveState {
  readonly replay: SrtpReplayWindow;
}

function remember<T>(map: Map<number, T>, key: number, value: T): void {
  if (map.size >= MAX_SOURCES && !map.has(key)) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
  map.set(key, value);
}

/** RTP header length, or −1 when the header does not fit in `length` octets. */
function headerLength(packet: Uint8Array, length: number): number {
  const first = packet[0] ?? 0;
  let header = 12 + 4 * (first & 0x0f);
  if (first & 0x10) {
    if (header + 4 > length) return -1;
    header += 4 + 4 * readUint16(packet, header + 2);
  }
  return header <= length ? header : -1;
}

export class SrtpContext {
  readonly suite: SrtpCryptoSuite;
  private readonly rtpKeys: SrtpSessionKeys;
  private readonly rtcpKeys: SrtpSessionKeys;
  private readonly cipherName: string;
  private readonly sendRtp = new Map<number, RtpSendState>();
  private readonly receiveRtp = new Map<number, RtpReceiveState>();
  private readonly sendRtcpIndex = new Map<number, number>();
  private readonly receiveRtcp = new Map<number, RtcpReceiveState>();
  private readonly replayWindow: number;
  private readonly rtpLifetime: number;
  private readonly rtcpLifetime: number;
  private rtpPackets = 0;
  private rtcpPackets = 0;

  constructor(material: SrtpKeyMaterial, options: SrtpContextOptions = {}) {
    this.suite = SRTP_CRYPTO_SUITES[material.suite];
    if (material.masterKey.length !== this.suite.keyLength) throw new RangeError(`${material.suite} needs a ${this.suite.keyLength}-octet master key`);
    if (material.masterSalt.length !== this.suite.saltLength) throw new RangeError(`${material.suite} needs a ${this.suite.saltLength}-octet master salt`);
    const keys = options.sessionKeys ?? deriveSrtpKeys(this.suite, material.masterKey, material.masterSalt);
    this.rtpKeys = keys.rtp;
    this.rtcpKeys = keys.rtcp;
    this.cipherName = this.suite.cipher === 'aes-gcm' ? `aes-${this.suite.keyLength * 8}-gcm` : `aes-${this.suite.keyLength * 8}-ctr`;
    this.replayWindow = options.replayWindow ?? 64;
    this.rtpLifetime = Math.min(material.lifetime ?? MAX_SRTP_PACKETS, MAX_SRTP_PACKETS);
    this.rtcpLifetime = Math.min(material.lifetime ?? MAX_SRTCP_PACKETS, MAX_SRTCP_PACKETS);
  }

  /** RFC 7714 §8.1 / §9.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt; for SRTCP (00 00 || SSRC || 00 00 || index). */
  private gcmIv(salt: Uint8Array, ssrc: number, high: number, low16OrIndex: number, rtcp: boolean): Uint8Array {
    const iv = new Uint8Array(12);
    writeUint32(iv, 2, ssrc);
    if (rtcp) writeUint32(iv, 8, low16OrIndex);
    else {
      writeUint32(iv, 6, high);
      iv[10] = (low16OrIndex >>> 8) & 0xff;
      iv[11] = low16OrIndex & 0xff;
    }
    for (let i = 0; i < 12; i++) iv[i] = (iv[i] ?? 0) ^ (salt[i] ?? 0);
    return iv;
  }

  private hmac(key: Uint8Array, tagLength: number, ...parts: Uint8Array[]): Uint8Array {
    const mac = createHmac('sha1', key);
    for (const part of parts) mac.update(part);
    return new Uint8Array(mac.digest().subarray(0, tagLength));
  }

  private countRtp(): void {
    if (this.rtpPackets >= this.rtpLifetime) throw new SrtpError('key_expired', 'the SRTP master key has reached its lifetime');
    this.rtpPackets++;
  }

  private countRtcp(): void {
    if (this.rtcpPackets >= this.rtcpLifetime) throw new SrtpError('key_expired', 'the SRTCP master key has reached its lifetime');
    this.rtcpPackets++;
  }

  /** RFC 3711 §3.3: encrypts the payload and appends the tag. `packet` is a packet we built. */
  protectRtp(packet: Uint8Array): Uint8Array {
    const header = headerLength(packet, packet.length);
    if (packet.length < 12 || header < 0) throw new RangeError('not an RTP packet');
    this.countRtp();
    const seq = readUint16(packet, 2);
    const ssrc = readUint32(packet, 8);
    let state = this.sendRtp.get(ssrc);
    if (!state) {
      state = { roc: 0, highestSeq: seq };
      remember(this.sendRtp, ssrc, state);
    } else if (seq < state.highestSeq && state.highestSeq - seq > 0x8000) {
      // §3.3.1: the sender increments the ROC each time the sequence number wraps.
      state.roc = (state.roc + 1) >>> 0;
      state.highestSeq = seq;
    } else if (seq > state.highestSeq) state.highestSeq = seq;
    const roc = state.roc;
    const out = new Uint8Array(packet.length + this.suite.srtpTagLength);
    out.set(packet.subarray(0, header));
    if (this.suite.cipher === 'aes-gcm') {
      const cipher = createCipheriv(this.cipherName as 'aes-128-gcm', this.rtpKeys.encryptionKey, this.gcmIv(this.rtpKeys.salt, ssrc, roc, seq, false));
      cipher.setAAD(packet.subarray(0, header));
      out.set(cipher.update(packet.subarray(header)), header);
      cipher.final();
      out.set(cipher.getAuthTag(), packet.length);
      return out;
    }
    const cipher = createCipheriv(this.cipherName, this.rtpKeys.encryptionKey, aesCmIv(this.rtpKeys.salt, ssrc, roc * 0x10000 + seq));
    out.set(cipher.update(packet.subarray(header)), header);
    // §4.2: the tag covers the authenticated portion and the ROC.
    out.set(this.hmac(this.rtpKeys.authenticationKey, this.suite.srtpTagLength, out.subarray(0, packet.length), rocBytes(roc)), packet.length);
    return out;
  }

  /** RFC 3711 §3.3: index estimation, replay check, authentication, decryption. */
  unprotectRtp(packet: Uint8Array): Uint8Array {
    const tagLength = this.suite.srtpTagLength;
    const length = packet.length - tagLength;
    const header = length >= 12 ? headerLength(packet, length) : -1;
    if (header < 0) throw new SrtpError('too_short', `SRTP packet of ${packet.length} octets`);
    const seq = readUint16(packet, 2);
    const ssrc = readUint32(packet, 8);
    const state = this.receiveRtp.get(ssrc);
    // §3.3.1: a new stream starts with ROC 0 and s_l at its first sequence number (SDES keying).
    const roc = state?.roc ?? 0;
    const highest = state?.highestSeq ?? seq;
    let v: number;
    if (highest < 0x8000) v = seq - highest > 0x8000 ? roc - 1 : roc;
    else v = highest - 0x8000 > seq ? roc + 1 : roc;
    if (v < 0 || v > 0xffff_ffff) throw new SrtpError('replayed', 'packet from before the start of the stream');
    const index = v * 0x10000 + seq;
    if (state && !state.replay.check(index)) throw new SrtpError('replayed', `SRTP index ${index} already seen or too old`);
    const out = new Uint8Array(length);
    out.set(packet.subarray(0, header));
    if (this.suite.cipher === 'aes-gcm') {
      const decipher = createDecipheriv(this.cipherName as 'aes-128-gcm', this.rtpKeys.encryptionKey, this.gcmIv(this.rtpKeys.salt, ssrc, v, seq, false));
      decipher.setAAD(packet.subarray(0, header));
      decipher.setAuthTag(packet.subarray(length));
      out.set(decipher.update(packet.subarray(header, length)), header);
      try {
        decipher.final();
      } catch {
        throw new SrtpError('authentication_failed', 'SRTP GCM tag mismatch');
      }
    } else {
      const tag = this.hmac(this.rtpKeys.authenticationKey, tagLength, packet.subarray(0, length), rocBytes(v));
      if (!timingSafeEqual(tag, packet.subarray(length))) throw new SrtpError('authentication_failed', 'SRTP authentication tag mismatch');
      const decipher = createDecipheriv(this.cipherName, this.rtpKeys.encryptionKey, aesCmIv(this.rtpKeys.salt, ssrc, index));
      out.set(decipher.update(packet.subarray(header, length)), header);
    }
    // §3.3.1 update, only now that the packet is authentic.
    this.countRtp();
    if (!state) {
      const replay = new SrtpReplayWindow(this.replayWindow);
      replay.accept(index);
      remember(this.receiveRtp, ssrc, { roc: v, highestSeq: seq, replay });
    } else {
      if (v > state.roc) {
        state.roc = v;
        state.highestSeq = seq;
      } else if (v === state.roc && seq > state.highestSeq) state.highestSeq = seq;
      state.replay.accept(index);
    }
    return out;
  }

  /** RFC 3711 §3.4: encrypts after the first 8 octets, appends E‖SRTCP index and the tag. */
  protectRtcp(packet: Uint8Array): Uint8Array {
    if (packet.length < 8) throw new RangeError('not an RTCP packet');
    this.countRtcp();
    const ssrc = readUint32(packet, 4);
    const index = this.sendRtcpIndex.get(ssrc) ?? 0;
    // §3.4: the 31-bit SRTCP index; the key must change before it wraps (the lifetime sees to that).
    remember(this.sendRtcpIndex, ssrc, (index + 1) & 0x7fff_ffff);
    const trailer = new Uint8Array(4);
    writeUint32(trailer, 0, (SRTCP_E_BIT | index) >>> 0);
    const tagLength = this.suite.srtcpTagLength;
    const out = new Uint8Array(packet.length + 4 + tagLength);
    out.set(packet.subarray(0, 8));
    if (this.suite.cipher === 'aes-gcm') {
      const cipher = createCipheriv(this.cipherName as 'aes-128-gcm', this.rtcpKeys.encryptionKey, this.gcmIv(this.rtcpKeys.salt, ssrc, 0, index, true));
      // RFC 7714 §9.2: AAD is the first 8 octets and the E‖index word.
      cipher.setAAD(concat(packet.subarray(0, 8), trailer));
      out.set(cipher.update(packet.subarray(8)), 8);
      cipher.final();
      out.set(cipher.getAuthTag(), packet.length);
      out.set(trailer, packet.length + tagLength);
      return out;
    }
    const cipher = createCipheriv(this.cipherName, this.rtcpKeys.encryptionKey, aesCmIv(this.rtcpKeys.salt, ssrc, index));
    out.set(cipher.update(packet.subarray(8)), 8);
    out.set(trailer, packet.length);
    out.set(this.hmac(this.rtcpKeys.authenticationKey, tagLength, out.subarray(0, packet.length + 4)), packet.length + 4);
    return out;
  }

  /** RFC 3711 §3.4: replay check on the SRTCP index, authentication, decryption when E is set. */
  unprotectRtcp(packet: Uint8Array): Uint8Array {
    const tagLength = this.suite.srtcpTagLength;
    const gcm = this.suite.cipher === 'aes-gcm';
    if (packet.length < 8 + 4 + tagLength) throw new SrtpError('too_short', `SRTCP packet of ${packet.length} octets`);
    const trailerAt = gcm ? packet.length - 4 : packet.length - tagLength - 4;
    const trailer = readUint32(packet, trailerAt);
    const encrypted = (trailer & SRTCP_E_BIT) !== 0;
    const index = trailer & 0x7fff_ffff;
    const ssrc = readUint32(packet, 4);
    const state = this.receiveRtcp.get(ssrc);
    if (state && !state.replay.check(index)) throw new SrtpError('replayed', `SRTCP index ${index} already seen or too old`);
    const bodyEnd = gcm ? packet.length - 4 - tagLength : trailerAt;
    const out = new Uint8Array(bodyEnd);
    out.set(packet.subarray(0, 8));
    if (gcm) {
      const decipher = createDecipheriv(this.cipherName as 'aes-128-gcm', this.rtcpKeys.encryptionKey, this.gcmIv(this.rtcpKeys.salt, ssrc, 0, index, true));
      decipher.setAuthTag(packet.subarray(bodyEnd, bodyEnd + tagLength));
      if (encrypted) {
        decipher.setAAD(concat(packet.subarray(0, 8), packet.subarray(trailerAt)));
        out.set(decipher.update(packet.subarray(8, bodyEnd)), 8);
      } else {
        // RFC 7714 §9.3: unencrypted SRTCP authenticates everything as AAD.
        decipher.setAAD(concat(packet.subarray(0, bodyEnd), packet.subarray(trailerAt)));
        out.set(packet.subarray(8, bodyEnd), 8);
      }
      try {
        decipher.final();
      } catch {
        throw new SrtpError('authentication_failed', 'SRTCP GCM tag mismatch');
      }
    } else {
      const tag = this.hmac(this.rtcpKeys.authenticationKey, tagLength, packet.subarray(0, trailerAt + 4));
      if (!timingSafeEqual(tag, packet.subarray(trailerAt + 4))) throw new SrtpError('authentication_failed', 'SRTCP authentication tag mismatch');
      if (encrypted) {
        const decipher = createDecipheriv(this.cipherName, this.rtcpKeys.encryptionKey, aesCmIv(this.rtcpKeys.salt, ssrc, index));
        out.set(decipher.update(packet.subarray(8, bodyEnd)), 8);
      } else out.set(packet.subarray(8, bodyEnd), 8);
    }
    this.countRtcp();
    if (state) state.replay.accept(index);
    else {
      const replay = new SrtpReplayWindow(this.replayWindow);
      replay.accept(index);
      remember(this.receiveRtcp, ssrc, { replay });
    }
    return out;
  }
}

/** RFC 3711 §4.1.1: IV = (k_s·2^16) XOR (SSRC·2^64) XOR (i·2^16), i the 48-bit packet (or SRTCP) index. */
export function aesCmIv(salt: Uint8Array, ssrc: number, index: number): Uint8Array {
  const iv = new Uint8Array(16);
  iv.set(salt.subarray(0, 14));
  for (let i = 0; i < 4; i++) iv[4 + i] = (iv[4 + i] ?? 0) ^ ((ssrc >>> (24 - 8 * i)) & 0xff);
  const high = Math.floor(index / 0x1_0000_0000);
  const low = index >>> 0;
  iv[8] = (iv[8] ?? 0) ^ ((high >>> 8) & 0xff);
  iv[9] = (iv[9] ?? 0) ^ (high & 0xff);
  for (let i = 0; i < 4; i++) iv[10 + i] = (iv[10 + i] ?? 0) ^ ((low >>> (24 - 8 * i)) & 0xff);
  return iv;
}

function rocBytes(roc: number): Uint8Array {
  const bytes = new Uint8Array(4);
  writeUint32(bytes, 0, roc);
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** Both directions of a call keyed by SDES: our key protects, the peer's unprotects (RFC 4568 §6.1). */
export class SrtpSession {
  readonly outbound: SrtpContext;
  readonly inbound: SrtpContext;

  constructor(local: SrtpKeyMaterial, remote: SrtpKeyMaterial, options: SrtpContextOptions = {}) {
    if (local.suite !== remote.suite) throw new RangeError(`both directions must use one crypto suite: ${local.suite} vs ${remote.suite}`);
    this.outbound = new SrtpContext(local, options);
    this.inbound = new SrtpContext(remote, options);
  }

  protectRtp(packet: Uint8Array): Uint8Array {
    return this.outbound.protectRtp(packet);
  }

  unprotectRtp(packet: Uint8Array): Uint8Array {
    return this.inbound.unprotectRtp(packet);
  }

  protectRtcp(packet: Uint8Array): Uint8Array {
    return this.outbound.protectRtcp(packet);
  }

  unprotectRtcp(packet: Uint8Array): Uint8Array {
    return this.inbound.unprotectRtcp(packet);
  }
}
