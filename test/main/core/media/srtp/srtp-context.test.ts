import { describe, expect, it } from 'vitest';
import { serializeRtcpCompound } from '../../../../../main/core/media/rtp/rtcp-packet.js';
import { serializeRtpPacket } from '../../../../../main/core/media/rtp/rtp-packet.js';
import { aesCmIv, SrtpContext, SrtpSession, type SrtpKeyMaterial } from '../../../../../main/core/media/srtp/srtp-context.js';
import type { SrtpCryptoSuiteName } from '../../../../../main/core/media/srtp/srtp-crypto-suite.js';
import { SrtpError } from '../../../../../main/core/media/srtp/srtp-error.js';
import { aesCmKeystream, deriveSessionKey } from '../../../../../main/core/media/srtp/srtp-key-derivation.js';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();

// RFC 3711 Appendix B.3 master key and salt.
const MASTER_KEY = hex('E1F97A0D3E018BE0D64FA32C06DE4139');
const MASTER_SALT = hex('0EC675AD498AFEEBB6960B3AABE6');

function material(suite: SrtpCryptoSuiteName = 'AES_CM_128_HMAC_SHA1_80', key = MASTER_KEY, lifetime?: number): SrtpKeyMaterial {
  const salt = suite === 'AEAD_AES_128_GCM' ? MASTER_SALT.subarray(0, 12) : MASTER_SALT;
  return { suite, masterKey: key, masterSalt: salt, ...(lifetime === undefined ? {} : { lifetime }) };
}

function rtp(sequenceNumber: number, payload = new Uint8Array(160).fill(0xff), ssrc = 0xdecafbad): Uint8Array {
  return serializeRtpPacket({ marker: false, payloadType: 0, sequenceNumber, timestamp: 0x1000 + 160 * sequenceNumber, ssrc, csrcs: [], payload });
}

function srtpError(run: () => unknown): SrtpError {
  try {
    run();
  } catch (error: unknown) {
    if (error instanceof SrtpError) return error;
    throw error;
  }
  throw new Error('expected an SrtpError');
}

describe('RFC 3711 Appendix B.2: AES-CM keystream', () => {
  const key = hex('2B7E151628AED2A6ABF7158809CF4F3C');
  const salt = hex('F0F1F2F3F4F5F6F7F8F9FAFBFCFD');

  it('builds the IV from the session salt, SSRC 0 and index 0 (§4.1.1)', () => {
    expect(toHex(aesCmIv(salt, 0, 0))).toBe('F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000');
  });

  it('produces the first and last blocks of the 65282-block segment', () => {
    const stream = aesCmKeystream(key, aesCmIv(salt, 0, 0), 65282 * 16);
    expect(toHex(stream.subarray(0, 48))).toBe('E03EAD0935C95E80E166B16DD92B4EB4' + 'D23513162B02D0F72A43A2FE4A5F97AB' + '41E95B3BB0A2E8DD477901E4FCA894C0');
    expect(toHex(stream.subarray(stream.length - 48))).toBe('EC8CDF7398607CB0F2D21675EA9EA1E4' + '362B7C3C6773516318A077D7FC5073AE' + '6A2CC3787889374FBEB4C81B17BA6C44');
  });

  it('places SSRC and index where §4.1.1 says', () => {
    expect(toHex(aesCmIv(new Uint8Array(14), 0x11223344, 0x5566_7788_99aa))).toBe('0000000011223344556677' + '8899AA0000');
  });
});

describe('RFC 3711 Appendix B.3: key derivation', () => {
  it.each([
    ['cipher key', 0x00, 16, 'C61E7A93744F39EE10734AFE3FF7A087'],
    ['cipher salt', 0x02, 14, '30CBBC08863D8C85D49DB34A9AE1'],
    [
      'auth key (94 octets, six AES blocks)',
      0x01,
      94,
      'CEBE321F6FF7716B6FD4AB49AF256A15' +
        '6D38BAA48F0A0ACF3C34E2359E6CDBCE' +
        'E049646C43D9327AD175578EF7227098' +
        '6371C10C9A369AC2F94A8C5FBCDDDC25' +
        '6D6E919A48B610EF17C2041E47403576' +
        '6B68642C59BBFC2F34DB60DBDFB2',
    ],
  ])('%s', (_name, label, length, expected) => {
    expect(toHex(deriveSessionKey(MASTER_KEY, MASTER_SALT, label, length))).toBe(expected);
  });
});

describe('RFC 7714 §16.1.1: AEAD_AES_128_GCM SRTP known answer', () => {
  const rtpKeys = { encryptionKey: hex('000102030405060708090a0b0c0d0e0f'), authenticationKey: new Uint8Array(0), salt: hex('517569642070726f2071756f') };
  const plain = hex('8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976 69736120 696e2070 61727465 73207472 6573');
  const sealed = hex(
    '8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce',
  );
  const context = (): SrtpContext => new SrtpContext(material('AEAD_AES_128_GCM'), { sessionKeys: { rtp: rtpKeys, rtcp: rtpKeys } });

  it('encrypts to the published packet', () => {
    expect(toHex(context().protectRtp(plain))).toBe(toHex(sealed));
  });

  it('decrypts the published packet', () => {
    expect(toHex(context().unprotectRtp(sealed))).toBe(toHex(plain));
  });
});

describe('SRTP protect / unprotect', () => {
  it.each([
    ['AES_CM_128_HMAC_SHA1_80', 10],
    ['AES_CM_128_HMAC_SHA1_32', 4],
    ['AEAD_AES_128_GCM', 16],
  ] as const)('%s round-trips byte for byte with a %i-octet tag; the header stays clear', (suite, tag) => {
    const sender = new SrtpContext(material(suite));
    const receiver = new SrtpContext(material(suite));
    const packet = rtp(1000);
    const sealed = sender.protectRtp(packet);
    expect(sealed.length).toBe(packet.length + tag);
    expect(toHex(sealed.subarray(0, 12))).toBe(toHex(packet.subarray(0, 12)));
    expect(toHex(sealed.subarray(12, packet.length))).not.toBe(toHex(packet.subarray(12)));
    expect(toHex(receiver.unprotectRtp(sealed))).toBe(toHex(packet));
  });

  it('encrypts the payload after CSRCs and the header extension, and RTP padding with it', () => {
    const packet = serializeRtpPacket({
      marker: true,
      payloadType: 8,
      sequenceNumber: 7,
      timestamp: 1,
      ssrc: 2,
      csrcs: [3, 4],
      extension: { profile: 0xbede, data: hex('10ab0000') },
      payload: hex('010203'),
      padding: hex('0000000005'),
    });
    const sealed = new SrtpContext(material()).protectRtp(packet);
    const header = 12 + 8 + 8;
    expect(toHex(sealed.subarray(0, header))).toBe(toHex(packet.subarray(0, header)));
    expect(toHex(new SrtpContext(material()).unprotectRtp(sealed))).toBe(toHex(packet));
  });

  it.each([
    ['a wrong key', (sealed: Uint8Array) => new SrtpContext(material('AES_CM_128_HMAC_SHA1_80', hex('00'.repeat(16)))).unprotectRtp(sealed)],
    [
      'a changed payload octet',
      (sealed: Uint8Array) => {
        const copy = sealed.slice();
        copy[20] = (copy[20] ?? 0) ^ 1;
        return new SrtpContext(material()).unprotectRtp(copy);
      },
    ],
    [
      'a changed header (marker bit)',
      (sealed: Uint8Array) => {
        const copy = sealed.slice();
        copy[1] = (copy[1] ?? 0) ^ 0x80;
        return new SrtpContext(material()).unprotectRtp(copy);
      },
    ],
  ])('refuses %s as authentication_failed', (_name, run) => {
    const sealed = new SrtpContext(material()).protectRtp(rtp(5));
    expect(srtpError(() => run(sealed)).code).toBe('authentication_failed');
  });

  it('refuses a GCM packet under the wrong key', () => {
    const sealed = new SrtpContext(material('AEAD_AES_128_GCM')).protectRtp(rtp(5));
    const receiver = new SrtpContext(material('AEAD_AES_128_GCM', hex('ff'.repeat(16))));
    expect(srtpError(() => receiver.unprotectRtp(sealed)).code).toBe('authentication_failed');
  });

  it('refuses a packet too short for header and tag', () => {
    expect(srtpError(() => new SrtpContext(material()).unprotectRtp(new Uint8Array(21))).code).toBe('too_short');
  });

  it('does not let a failed packet move the replay window or the ROC', () => {
    const sender = new SrtpContext(material());
    const receiver = new SrtpContext(material());
    const good = sender.protectRtp(rtp(10));
    const forged = good.slice();
    forged[30] = (forged[30] ?? 0) ^ 0xff;
    expect(srtpError(() => receiver.unprotectRtp(forged)).code).toBe('authentication_failed');
    expect(toHex(receiver.unprotectRtp(good))).toBe(toHex(rtp(10)));
  });
});

describe('replay protection (RFC 3711 §3.3.2, 64-packet window)', () => {
  it('refuses a packet received twice', () => {
    const sender = new SrtpContext(material());
    const receiver = new SrtpContext(material());
    const sealed = sender.protectRtp(rtp(1));
    receiver.unprotectRtp(sealed);
    expect(srtpError(() => receiver.unprotectRtp(sealed)).code).toBe('replayed');
  });

  it('accepts reordering inside the window and refuses what fell behind it', () => {
    const sender = new SrtpContext(material());
    const receiver = new SrtpContext(material());
    const sealed = Array.from({ length: 80 }, (_, i) => sender.protectRtp(rtp(100 + i)));
    receiver.unprotectRtp(sealed[0] ?? new Uint8Array());
    receiver.unprotectRtp(sealed[70] ?? new Uint8Array());
    expect(() => receiver.unprotectRtp(sealed[10] ?? new Uint8Array())).not.toThrow();
    expect(srtpError(() => receiver.unprotectRtp(sealed[5] ?? new Uint8Array())).code).toBe('replayed');
    expect(srtpError(() => receiver.unprotectRtp(sealed[10] ?? new Uint8Array())).code).toBe('replayed');
  });
});

describe('roll-over counter (RFC 3711 §3.3.1)', () => {
  it('follows the sequence number through 65535 → 0, with a straggler from before the wrap', () => {
    const sender = new SrtpContext(material());
    const receiver = new SrtpContext(material());
    const sequence = [65533, 65534, 65535, 0, 1, 2];
    const sealed = sequence.map((seq) => sender.protectRtp(rtp(seq)));
    // 65535 arrives late, after 0: index estimation must guess ROC − 1 for it.
    for (const i of [0, 1, 3, 2, 4, 5]) expect(toHex(receiver.unprotectRtp(sealed[i] ?? new Uint8Array()))).toBe(toHex(rtp(sequence[i] ?? 0)));
  });

  it('authenticates the ROC: the post-wrap packet differs from a pre-wrap one with the same sequence number', () => {
    const sender = new SrtpContext(material());
    const first = sender.protectRtp(rtp(0));
    for (let seq = 1; seq <= 65535; seq += 4000) sender.protectRtp(rtp(seq));
    sender.protectRtp(rtp(65535));
    const afterWrap = sender.protectRtp(rtp(0));
    expect(toHex(afterWrap)).not.toBe(toHex(first));
    // A receiver that never saw the wrap assumes ROC 0 and cannot authenticate it.
    expect(srtpError(() => new SrtpContext(material()).unprotectRtp(afterWrap)).code).toBe('authentication_failed');
  });
});

describe('SRTCP (RFC 3711 §3.4)', () => {
  const report = serializeRtcpCompound([
    { type: 'rr', ssrc: 0xdecafbad, reports: [] },
    { type: 'sdes', chunks: [{ source: 0xdecafbad, items: [{ type: 1, value: 'alice@example.com' }] }] },
  ]);

  it.each([
    ['AES_CM_128_HMAC_SHA1_80', 10],
    ['AES_CM_128_HMAC_SHA1_32', 10],
    ['AEAD_AES_128_GCM', 16],
  ] as const)('%s: E bit set, index counts up, %i-octet tag, round trip', (suite, tag) => {
    const sender = new SrtpContext(material(suite));
    const receiver = new SrtpContext(material(suite));
    const first = sender.protectRtcp(report);
    const second = sender.protectRtcp(report);
    expect(first.length).toBe(report.length + 4 + tag);
    const trailerAt = suite === 'AEAD_AES_128_GCM' ? first.length - 4 : report.length;
    expect(toHex(first.subarray(trailerAt, trailerAt + 4))).toBe('80000000');
    expect(toHex(second.subarray(trailerAt, trailerAt + 4))).toBe('80000001');
    expect(toHex(first.subarray(0, 8))).toBe(toHex(report.subarray(0, 8)));
    expect(toHex(first.subarray(8, report.length))).not.toBe(toHex(report.subarray(8)));
    expect(toHex(receiver.unprotectRtcp(first))).toBe(toHex(report));
    expect(toHex(receiver.unprotectRtcp(second))).toBe(toHex(report));
    expect(srtpError(() => receiver.unprotectRtcp(second)).code).toBe('replayed');
  });

  it('refuses SRTCP under a wrong key and with a forged index', () => {
    const sealed = new SrtpContext(material()).protectRtcp(report);
    expect(srtpError(() => new SrtpContext(material('AES_CM_128_HMAC_SHA1_80', hex('11'.repeat(16)))).unprotectRtcp(sealed)).code).toBe('authentication_failed');
    const forged = sealed.slice();
    forged[report.length + 3] = 7;
    expect(srtpError(() => new SrtpContext(material()).unprotectRtcp(forged)).code).toBe('authentication_failed');
    expect(srtpError(() => new SrtpContext(material()).unprotectRtcp(new Uint8Array(20))).code).toBe('too_short');
  });
});

describe('key lifetime and the session pair', () => {
  it('stops protecting once the SDES lifetime is spent', () => {
    const sender = new SrtpContext(material('AES_CM_128_HMAC_SHA1_80', MASTER_KEY, 2));
    sender.protectRtp(rtp(1));
    sender.protectRtp(rtp(2));
    expect(srtpError(() => sender.protectRtp(rtp(3))).code).toBe('key_expired');
  });

  it('protects with our key and unprotects with the peer’s (RFC 4568 §6.1)', () => {
    const aliceKey = material('AES_CM_128_HMAC_SHA1_80', hex('aa'.repeat(16)));
    const bobKey = material('AES_CM_128_HMAC_SHA1_80', hex('bb'.repeat(16)));
    const alice = new SrtpSession(aliceKey, bobKey);
    const bob = new SrtpSession(bobKey, aliceKey);
    expect(toHex(bob.unprotectRtp(alice.protectRtp(rtp(1))))).toBe(toHex(rtp(1)));
    expect(toHex(alice.unprotectRtp(bob.protectRtp(rtp(9, undefined, 0x1234))))).toBe(toHex(rtp(9, undefined, 0x1234)));
    expect(srtpError(() => alice.unprotectRtp(alice.protectRtp(rtp(2)))).code).toBe('authentication_failed');
  });

  it('refuses key material of the wrong length (a bug, not network input)', () => {
    expect(() => new SrtpContext({ suite: 'AES_CM_128_HMAC_SHA1_80', masterKey: new Uint8Array(15), masterSalt: MASTER_SALT })).toThrow(RangeError);
  });
});
