import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ntpFromUnixMilliseconds, ntpMiddle32 } from '../../../../../main/core/media/rtp/ntp-time.js';
import { parseRtcpCompound, serializeRtcpCompound, type RtcpPacket, type RtcpSenderReport } from '../../../../../main/core/media/rtp/rtcp-packet.js';
import { parseRtpPacket, serializeRtpPacket, type RtpPacket } from '../../../../../main/core/media/rtp/rtp-packet.js';
import { RtpSession, type RtpDestination, type RtpSessionOptions } from '../../../../../main/core/media/rtp/rtp-session.js';
import type { TransportAddress } from '../../../../../main/core/media/rtp/source-latch.js';
import { SrtpSession, type SrtpKeyMaterial } from '../../../../../main/core/media/srtp/srtp-context.js';

const SDP_ADDRESS: TransportAddress = { address: '192.0.2.10', port: 40000 };
const ALICE_NAT: TransportAddress = { address: '198.51.100.7', port: 61000 };
const ALICE_NEW_NAT: TransportAddress = { address: '198.51.100.7', port: 62000 };
const MALLORY: TransportAddress = { address: '203.0.113.66', port: 5004 };
const ALICE_SSRC = 0xaaaa0001;
const OUR_SSRC = 0x11111111;

interface Harness {
  session: RtpSession;
  sent: { packet: Uint8Array; to: RtpDestination }[];
  delivered: RtpPacket[];
  events: string[];
}

function harness(extra: Partial<RtpSessionOptions> = {}): Harness {
  const sent: Harness['sent'] = [];
  const delivered: RtpPacket[] = [];
  const events: string[] = [];
  const randoms = [OUR_SSRC, 0xfffe, 0x1000];
  const session = new RtpSession({
    send: (packet, to) => sent.push({ packet, to }),
    clockRate: 8000,
    payloadType: 0,
    cname: 'bob@example.test',
    remoteRtp: SDP_ADDRESS,
    random: () => 0.5,
    randomUint32: () => randoms.shift() ?? 0,
    minSequential: 1,
    delegate: {
      onRtp: (packet) => delivered.push(packet),
      onLatch: (remote, channel) => events.push(`latch ${channel} ${remote.address}:${remote.port}`),
      onSourceChange: (ssrc, previous) => events.push(`source ${ssrc.toString(16)} after ${previous?.toString(16) ?? 'none'}`),
      onBye: (ssrc, reason) => events.push(`bye ${ssrc.toString(16)} ${reason ?? ''}`),
    },
    ...extra,
  });
  return { session, sent, delivered, events };
}

function alicePacket(sequenceNumber: number, ssrc = ALICE_SSRC, timestamp = sequenceNumber * 160): Uint8Array {
  return serializeRtpPacket({ marker: false, payloadType: 0, sequenceNumber, timestamp, ssrc, csrcs: [], payload: new Uint8Array(160).fill(0xff) });
}

function rtcp(packets: RtcpPacket[]): Uint8Array {
  return serializeRtcpCompound(packets);
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2025-03-01T12:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('bob sends', () => {
  it('with random SSRC, sequence number and timestamp; marker on each talkspurt; the sequence wraps', () => {
    const { session, sent } = harness();
    for (let i = 0; i < 3; i++) session.sendRtp(new Uint8Array(160), { samples: 160 });
    session.skipSamples(320);
    session.sendRtp(new Uint8Array(160), { samples: 160 });
    const packets = sent.map(({ packet }) => parseRtpPacket(packet));
    expect(packets.map((p) => [p.ssrc, p.sequenceNumber, p.timestamp, p.marker])).toEqual([
      [OUR_SSRC, 0xfffe, 0x1000, true],
      [OUR_SSRC, 0xffff, 0x10a0, false],
      [OUR_SSRC, 0x0000, 0x1140, false],
      [OUR_SSRC, 0x0001, 0x1140 + 160 + 320, true],
    ]);
    expect(sent.every(({ to }) => to.channel === 'rtp' && to.address === SDP_ADDRESS.address && to.port === SDP_ADDRESS.port)).toBe(true);
  });

  it('refuses, as a bug, a payload type that rtcp-mux would read as RTCP', () => {
    expect(() => harness({ rtcpMux: true, payloadType: 72 })).toThrow(RangeError);
  });
});

describe('symmetric RTP (RFC 4961)', () => {
  it('sends to the SDP address until alice’s first packet, then to where it came from', () => {
    const { session, sent, events, delivered } = harness();
    session.sendRtp(new Uint8Array(160), { samples: 160 });
    session.receive(alicePacket(1), ALICE_NAT);
    session.sendRtp(new Uint8Array(160), { samples: 160 });
    expect(sent.map(({ to }) => to.port)).toEqual([40000, 61000]);
    expect(events).toEqual(['latch rtp 198.51.100.7:61000', `source ${ALICE_SSRC.toString(16)} after none`]);
    expect(delivered).toHaveLength(1);
  });

  it('drops a stranger, and re-latches to alice’s new NAT binding after 3 packets in a row', () => {
    const { session, sent, delivered } = harness();
    session.receive(alicePacket(1), ALICE_NAT);
    session.receive(alicePacket(2, 0xbad), MALLORY);
    session.receive(alicePacket(3), ALICE_NEW_NAT);
    session.receive(alicePacket(4), ALICE_NEW_NAT);
    session.receive(alicePacket(5), ALICE_NAT); // the old binding still speaks: start again
    session.receive(alicePacket(6), ALICE_NEW_NAT);
    session.receive(alicePacket(7), ALICE_NEW_NAT);
    expect(session.remote.rtp).toEqual(ALICE_NAT);
    session.receive(alicePacket(8), ALICE_NEW_NAT);
    expect(session.remote.rtp).toEqual(ALICE_NEW_NAT);
    session.sendRtp(new Uint8Array(1), { samples: 160 });
    expect(sent.at(-1)?.to.port).toBe(62000);
    expect(delivered.map((p) => p.sequenceNumber)).toEqual([1, 5, 8]);
    expect(session.statistics().dropped).toEqual({ foreign_source: 1, unconfirmed_source: 4 });
  });

  it('with rtcp-mux, an RTCP report from alice’s old port that latched a new session gives way to her RTP from the new one', () => {
    // A session made after alice moved (a re-INVITE naming her new port) can hear her last report
    // from the old port before any RTP: that latches, with no RTP source known yet.
    const { session, sent, delivered } = harness({ rtcpMux: true });
    session.receive(rtcp([{ type: 'rr', ssrc: ALICE_SSRC, reports: [] }]), ALICE_NAT);
    expect(session.remote.rtp).toEqual(ALICE_NAT);
    for (const seq of [1, 2, 3]) session.receive(alicePacket(seq), ALICE_NEW_NAT);
    expect(session.remote.rtp).toEqual(ALICE_NEW_NAT);
    session.receive(alicePacket(4, 0xbad), MALLORY);
    session.sendRtp(new Uint8Array(1), { samples: 160 });
    expect(sent.at(-1)?.to).toEqual({ channel: 'rtp', ...ALICE_NEW_NAT });
    expect(delivered.map((p) => p.sequenceNumber)).toEqual([3]);
    expect(session.statistics().dropped).toEqual({ unconfirmed_source: 2, foreign_source: 1 });
  });

  it('drops a stranger even with alice’s SSRC before anything is latched from it', () => {
    const { session } = harness({ relatchAfter: 1 });
    session.receive(alicePacket(1), ALICE_NAT);
    session.receive(alicePacket(2, 0x1234), MALLORY);
    expect(session.remote.rtp).toEqual(ALICE_NAT);
  });
});

describe('alice’s source', () => {
  it('keeps a new source on probation by default (RFC 3550 §A.1, MIN_SEQUENTIAL = 2)', () => {
    const { session, delivered } = harness({ minSequential: undefined });
    for (const seq of [10, 11, 12]) session.receive(alicePacket(seq), ALICE_NAT);
    expect(delivered.map((p) => p.sequenceNumber)).toEqual([11, 12]);
    expect(session.statistics().dropped).toEqual({ probation: 1 });
  });

  it('a new SSRC is a new source: statistics start again, and the old one is dropped', () => {
    const { session, events } = harness();
    for (const seq of [1, 2, 4]) session.receive(alicePacket(seq), ALICE_NAT);
    expect(session.statistics().received).toMatchObject({ packetsReceived: 3, cumulativeLost: 1 });
    session.receive(alicePacket(900, 0xbbbb0002), ALICE_NAT);
    session.receive(alicePacket(5), ALICE_NAT);
    const stats = session.statistics();
    expect(stats.remoteSsrc).toBe(0xbbbb0002);
    expect(stats.received).toMatchObject({ ssrc: 0xbbbb0002, packetsReceived: 1, cumulativeLost: 0 });
    expect(stats.dropped).toEqual({ old_source: 1 });
    expect(events).toContain(`source bbbb0002 after ${ALICE_SSRC.toString(16)}`);
  });

  it('counts jitter from arrival times on the clock (RFC 3550 §A.8)', () => {
    const { session } = harness();
    [0, 20, 45, 60, 80].forEach((ms, i) => {
      vi.setSystemTime(Date.UTC(2025, 2, 1, 12) + ms);
      session.receive(alicePacket(i), ALICE_NAT);
    });
    expect(session.statistics().received?.jitter).toBeCloseTo(4.541015625, 9);
  });
});

describe('bad input is counted and dropped, never thrown', () => {
  it.each([
    ['too_short', new Uint8Array([0x80, 0, 0])],
    ['bad_version', new Uint8Array(20).fill(0x40)],
    ['bad_padding', new Uint8Array([0xa0, 0, 0, 1, 0, 0, 0, 0, 0xaa, 0xaa, 0, 1, 0x00])],
    ['own_ssrc', serializeRtpPacket({ marker: false, payloadType: 0, sequenceNumber: 1, timestamp: 0, ssrc: OUR_SSRC, csrcs: [], payload: new Uint8Array(4) })],
  ])('%s', (reason, datagram) => {
    const { session, delivered } = harness();
    expect(() => session.receive(datagram, ALICE_NAT)).not.toThrow();
    expect(delivered).toHaveLength(0);
    expect(session.statistics().dropped).toEqual({ [reason]: 1 });
  });

  it.each([
    ['bad_compound', new Uint8Array([0x81, 0xca, 0, 1, 0, 0, 0, 1])],
    ['bad_length', new Uint8Array([0x80, 0xc9, 0, 9, 0, 0, 0, 1])],
    ['bad_version', new Uint8Array([0x40, 0xc9, 0, 1, 0, 0, 0, 1])],
  ])('RTCP garbage: %s', (reason, datagram) => {
    const { session } = harness();
    expect(() => session.receive(datagram, ALICE_NAT, 'rtcp')).not.toThrow();
    expect(session.statistics().dropped).toEqual({ [reason]: 1 });
    expect(session.remote.rtcp).toEqual({ address: SDP_ADDRESS.address, port: 40001 });
  });
});

describe('RTCP reports (RFC 3550 §6)', () => {
  function reports(sent: Harness['sent']): RtcpPacket[][] {
    return sent.filter(({ to }) => to.channel === 'rtcp').map(({ packet }) => parseRtcpCompound(packet));
  }

  it('first at 2.5 s / (e − 3/2), then every 5 s / (e − 3/2); RR + SDES CNAME to port + 1 while only listening', () => {
    const { session, sent } = harness();
    session.start();
    vi.advanceTimersByTime(2051);
    expect(reports(sent)).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(reports(sent)).toHaveLength(1);
    vi.advanceTimersByTime(4103);
    expect(reports(sent)).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(reports(sent)).toHaveLength(2);
    const [rr, sdes] = reports(sent)[0] ?? [];
    expect(rr).toEqual({ type: 'rr', ssrc: OUR_SSRC, reports: [] });
    expect(sdes).toEqual({ type: 'sdes', chunks: [{ source: OUR_SSRC, items: [{ type: 1, value: 'bob@example.test' }] }] });
    expect(sent.at(-1)?.to).toEqual({ channel: 'rtcp', address: SDP_ADDRESS.address, port: 40001 });
  });

  it('sends an SR while sending, with counts and a report block about alice', () => {
    const { session, sent } = harness();
    session.start();
    for (const seq of [1, 2, 4]) session.receive(alicePacket(seq), ALICE_NAT);
    for (let i = 0; i < 5; i++) session.sendRtp(new Uint8Array(160), { samples: 160 });
    vi.advanceTimersByTime(2052);
    const [sr] = reports(sent)[0] ?? [];
    expect(sr).toMatchObject({ type: 'sr', ssrc: OUR_SSRC, packetCount: 5, octetCount: 800 });
    const report = sr as RtcpSenderReport;
    expect(report.ntpSeconds).toBe(ntpFromUnixMilliseconds(Date.now()).seconds);
    // 2052 ms after the last packet at 0x1000 + 4·160: 16416 more units.
    expect(report.rtpTimestamp).toBe(0x1000 + 4 * 160 + 16416);
    // 1, 2, 4 arrived at one instant: D = 160 then 320 → J = 10, then 10 + 310/16 = 29.375.
    expect(report.reports).toEqual([{ ssrc: ALICE_SSRC, fractionLost: 64, cumulativeLost: 1, highestSequence: 4, jitter: 29, lastSenderReport: 0, delaySinceLastSenderReport: 0 }]);
  });

  it('echoes alice’s SR as LSR and DLSR (§6.4.1)', () => {
    const { session, sent } = harness();
    session.start();
    session.receive(alicePacket(1), ALICE_NAT);
    const ntp = ntpFromUnixMilliseconds(Date.now());
    session.receive(
      rtcp([{ type: 'sr', ssrc: ALICE_SSRC, ntpSeconds: ntp.seconds, ntpFraction: ntp.fraction, rtpTimestamp: 160, packetCount: 1, octetCount: 160, reports: [] }]),
      { ...ALICE_NAT, port: 61001 },
      'rtcp',
    );
    vi.advanceTimersByTime(500);
    session.receive(alicePacket(2), ALICE_NAT);
    vi.advanceTimersByTime(1552);
    const [rr] = reports(sent)[0] ?? [];
    expect(rr?.type === 'rr' && rr.reports[0]).toMatchObject({ lastSenderReport: ntpMiddle32(ntp), delaySinceLastSenderReport: Math.floor((2052 * 65536) / 1000) });
    expect(sent.at(-1)?.to).toEqual({ channel: 'rtcp', address: ALICE_NAT.address, port: 61001 });
  });

  it('measures the round trip from alice’s RR: A − LSR − DLSR', () => {
    const { session, sent } = harness();
    session.start();
    session.sendRtp(new Uint8Array(160), { samples: 160 });
    vi.advanceTimersByTime(2052);
    const sr = reports(sent)[0]?.[0] as RtcpSenderReport;
    vi.advanceTimersByTime(1250);
    // Alice held our SR for 1 s before answering: 250 ms were on the wire.
    session.receive(
      rtcp([
        {
          type: 'rr',
          ssrc: ALICE_SSRC,
          reports: [{ ssrc: OUR_SSRC, fractionLost: 12, cumulativeLost: 3, highestSequence: 0xffff, jitter: 7, lastSenderReport: ntpMiddle32({ seconds: sr.ntpSeconds, fraction: sr.ntpFraction }), delaySinceLastSenderReport: 65536 }],
        },
      ]),
      ALICE_NAT,
      'rtcp',
    );
    const stats = session.statistics();
    expect(stats.roundTripTimeMs).toBeCloseTo(250, 0);
    expect(stats.remoteReport).toEqual({ fractionLost: 12, cumulativeLost: 3, jitter: 7 });
  });

  it('ignores a report block whose LSR would make the round trip negative', () => {
    const { session } = harness();
    const future = ntpMiddle32(ntpFromUnixMilliseconds(Date.now() + 10_000));
    session.receive(
      rtcp([{ type: 'rr', ssrc: ALICE_SSRC, reports: [{ ssrc: OUR_SSRC, fractionLost: 0, cumulativeLost: 0, highestSequence: 0, jitter: 0, lastSenderReport: future, delaySinceLastSenderReport: 0 }] }]),
      ALICE_NAT,
      'rtcp',
    );
    expect(session.statistics().roundTripTimeMs).toBeUndefined();
  });

  it('with rtcp-mux, tells RTCP from RTP on one port (RFC 5761 §4) and sends RTCP there', () => {
    const { session, sent, events, delivered } = harness({ rtcpMux: true });
    session.start();
    session.receive(alicePacket(1), ALICE_NAT);
    session.receive(rtcp([{ type: 'rr', ssrc: ALICE_SSRC, reports: [] }, { type: 'bye', sources: [ALICE_SSRC], reason: 'bye' }]), ALICE_NAT);
    expect(delivered).toHaveLength(1);
    expect(events).toContain(`bye ${ALICE_SSRC.toString(16)} bye`);
    expect(session.statistics().rtcpReceived).toBe(1);
    vi.advanceTimersByTime(2052);
    expect(sent.at(-1)?.to).toEqual({ channel: 'rtcp', ...ALICE_NAT });
    session.receive(alicePacket(2), ALICE_NAT);
    expect(session.statistics().dropped).toEqual({ old_source: 1 });
  });
});

describe('bob hangs up', () => {
  it('says BYE in a compound packet after an SR and SDES (§6.6), then stays quiet', () => {
    const { session, sent } = harness();
    session.start();
    session.sendRtp(new Uint8Array(160), { samples: 160 });
    session.stop('hang up');
    const last = parseRtcpCompound(sent.at(-1)?.packet ?? new Uint8Array());
    expect(last.map((p) => p.type)).toEqual(['sr', 'sdes', 'bye']);
    expect(last[2]).toEqual({ type: 'bye', sources: [OUR_SSRC], reason: 'hang up' });
    const count = sent.length;
    vi.advanceTimersByTime(60_000);
    session.sendRtp(new Uint8Array(160), { samples: 160 });
    session.receive(alicePacket(1), ALICE_NAT);
    expect(sent).toHaveLength(count);
    expect(session.statistics().dropped).toEqual({ stopped: 1 });
  });

  it('sends no BYE when it never sent anything (§6.3.7)', () => {
    const { session, sent } = harness();
    session.start();
    session.stop();
    expect(sent).toHaveLength(0);
  });
});

describe('quality estimate', () => {
  it('gives a MOS from loss and round trip (G.107), lower with loss', () => {
    const clean = harness();
    for (let seq = 1; seq <= 100; seq++) clean.session.receive(alicePacket(seq), ALICE_NAT);
    const lossy = harness();
    for (let seq = 1; seq <= 100; seq++) if (seq % 10 !== 0) lossy.session.receive(alicePacket(seq), ALICE_NAT);
    // G.711 with PLC, no loss, 60 ms playout: R = 93.2.
    expect(clean.session.statistics().mos).toBeCloseTo(4.409285824, 6);
    const lossyMos = lossy.session.statistics().mos ?? 5;
    expect(lossyMos).toBeLessThan(4);
    expect(harness().session.statistics().mos).toBeUndefined();
  });
});

describe('bob and alice over SRTP', () => {
  const key = (fill: number): SrtpKeyMaterial => ({ suite: 'AES_CM_128_HMAC_SHA1_80', masterKey: new Uint8Array(16).fill(fill), masterSalt: new Uint8Array(14).fill(fill) });

  it('media and reports flow; forged and replayed packets are dropped by reason', () => {
    const alice = new SrtpSession(key(1), key(2));
    const { session, sent, delivered } = harness({ security: new SrtpSession(key(2), key(1)) });
    session.start();
    const first = alice.protectRtp(alicePacket(1));
    session.receive(first, ALICE_NAT);
    session.receive(first, ALICE_NAT);
    const forged = alice.protectRtp(alicePacket(2));
    forged[20] = (forged[20] ?? 0) ^ 1;
    session.receive(forged, ALICE_NAT);
    session.receive(alicePacket(3), ALICE_NAT);
    session.receive(alice.protectRtcp(rtcp([{ type: 'rr', ssrc: ALICE_SSRC, reports: [] }])), ALICE_NAT, 'rtcp');
    expect(delivered.map((p) => p.sequenceNumber)).toEqual([1]);
    expect(session.statistics().dropped).toEqual({ srtp_replayed: 1, srtp_authentication_failed: 2 });
    expect(session.statistics().rtcpReceived).toBe(1);
    session.sendRtp(new Uint8Array([1, 2, 3]), { samples: 160 });
    vi.advanceTimersByTime(2052);
    const media = sent.find(({ to }) => to.channel === 'rtp');
    const report = sent.find(({ to }) => to.channel === 'rtcp');
    expect(Array.from(parseRtpPacket(alice.unprotectRtp(media?.packet ?? new Uint8Array())).payload)).toEqual([1, 2, 3]);
    expect(parseRtcpCompound(alice.unprotectRtcp(report?.packet ?? new Uint8Array()))[0]?.type).toBe('sr');
  });
});
