/**
 * Every retransmission and wait timer of RFC 3261 §17 (and Timers L/M of RFC 6026), counted on
 * a fake transport at fake times. T1 = 500 ms, T2 = 4 s, T4 = 5 s.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SipResponse } from '../../../../../main/core/sip/messages/index.js';
import {
  InviteClientTransaction,
  InviteServerTransaction,
  NonInviteClientTransaction,
  NonInviteServerTransaction,
  defaultTransactionTimers as timers,
  transactionTimers,
} from '../../../../../main/core/sip/transactions/index.js';
import { FakeTransport, request, responseTo, tcpPeer, udpPeer } from './helpers.js';

const branch = 'z9hG4bK776asdhds';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('INVITE client transaction (§17.1.1.2)', () => {
  it('Timer A: retransmits at T1, 2T1, 4T1... until Timer B reports a timeout at 64*T1', () => {
    const t = new FakeTransport(false);
    const timeouts = vi.fn();
    const ict = new InviteClientTransaction(request('INVITE', { branch }), udpPeer, t, timers, { onTimeout: timeouts });
    vi.advanceTimersByTime(31_999);
    expect(t.times).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(timeouts).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(timeouts).toHaveBeenCalledTimes(1);
    expect(ict.state).toBe('Terminated');
  });

  it('over a reliable transport sends once, and Timer B still fires at 64*T1', () => {
    const t = new FakeTransport(true);
    const timeouts = vi.fn();
    const ict = new InviteClientTransaction(request('INVITE', { branch }), tcpPeer, t, timers, { onTimeout: timeouts });
    vi.advanceTimersByTime(32_000);
    expect(t.times).toEqual([0]);
    expect(timeouts).toHaveBeenCalledTimes(1);
    expect(ict.state).toBe('Terminated');
  });

  it('T1 is configurable: Timer A starts at T1 and Timer B is 64*T1', () => {
    const t = new FakeTransport(false);
    const ict = new InviteClientTransaction(request('INVITE', { branch }), udpPeer, t, transactionTimers({ t1: 100 }));
    vi.advanceTimersByTime(6_399);
    expect(t.times).toEqual([0, 100, 300, 700, 1500, 3100, 6300]);
    vi.advanceTimersByTime(1);
    expect(ict.state).toBe('Terminated');
  });

  it('a provisional response stops retransmission and Timer B; 1xx go to the TU', () => {
    const t = new FakeTransport(false);
    const received: SipResponse[] = [];
    const timeouts = vi.fn();
    const ict = new InviteClientTransaction(request('INVITE', { branch }), udpPeer, t, timers, {
      receiveResponse: (r) => void received.push(r),
      onTimeout: timeouts,
    });
    vi.advanceTimersByTime(600);
    ict.receiveResponse(responseTo(ict.request, 100));
    ict.receiveResponse(responseTo(ict.request, 180));
    vi.advanceTimersByTime(120_000);
    expect(t.times).toEqual([0, 500]);
    expect(received.map((r) => r.status)).toEqual([100, 180]);
    expect(timeouts).not.toHaveBeenCalled();
    expect(ict.state).toBe('Proceeding');
    ict.dispose();
  });

  it.each([300, 404, 486, 500, 603])('%i: builds the ACK of §17.1.1.3, hands the response up once', (status) => {
    const t = new FakeTransport(false);
    const invite = request('INVITE', { branch, routes: ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>'] });
    invite.append('Via', 'SIP/2.0/UDP second.example.com;branch=z9hG4bKother');
    const received = vi.fn();
    const ict = new InviteClientTransaction(invite, udpPeer, t, timers, { receiveResponse: received });
    const response = responseTo(invite, status, 'bobtag');
    ict.receiveResponse(response);
    expect(ict.state).toBe('Completed');
    expect(received).toHaveBeenCalledTimes(1);
    const [ack] = t.requests('ACK');
    expect(ack).toBeDefined();
    expect(ack!.uri.toString()).toBe(invite.uri.toString());
    expect(ack!.callId).toBe(invite.callId);
    expect(ack!.get('From')).toBe(invite.get('From'));
    expect(ack!.to.tag).toBe('bobtag');
    expect(ack!.cseq.seq).toBe(invite.cseq.seq);
    expect(ack!.cseq.method).toBe('ACK');
    expect(ack!.getAll('Via')).toEqual([invite.topVia!.toString()]);
    expect(ack!.getAll('Route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(ict.ackRequest).toBe(ack);
    ict.dispose();
  });

  it('Timer D: in Completed, each retransmitted final response re-sends the ACK, not passed up; ends after 32 s', () => {
    const t = new FakeTransport(false);
    const received = vi.fn();
    const ict = new InviteClientTransaction(request('INVITE', { branch }), udpPeer, t, timers, { receiveResponse: received });
    const busy = responseTo(ict.request, 486);
    ict.receiveResponse(busy);
    vi.advanceTimersByTime(500);
    ict.receiveResponse(busy);
    vi.advanceTimersByTime(1000);
    ict.receiveResponse(busy);
    expect(t.requests('ACK')).toHaveLength(3);
    expect(t.requests('INVITE')).toHaveLength(1);
    expect(received).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(32_000 - 1500 - 1);
    expect(ict.state).toBe('Completed');
    vi.advanceTimersByTime(1);
    expect(ict.state).toBe('Terminated');
  });

  it('Timer D is zero over a reliable transport: one ACK, then Terminated at once', () => {
    const t = new FakeTransport(true);
    const ict = new InviteClientTransaction(request('INVITE', { branch }), tcpPeer, t, timers);
    ict.receiveResponse(responseTo(ict.request, 486));
    expect(ict.state).toBe('Terminated');
    expect(t.requests('ACK')).toHaveLength(1);
  });

  it('2xx: Accepted (RFC 6026), no ACK; every further 2xx goes to the TU until Timer M (64*T1)', () => {
    const t = new FakeTransport(false);
    const received: SipResponse[] = [];
    const ict = new InviteClientTransaction(request('INVITE', { branch }), udpPeer, t, timers, { receiveResponse: (r) => void received.push(r) });
    ict.receiveResponse(responseTo(ict.request, 200, 'fork1'));
    expect(ict.state).toBe('Accepted');
    ict.receiveResponse(responseTo(ict.request, 200, 'fork1'));
    ict.receiveResponse(responseTo(ict.request, 200, 'fork2'));
    ict.receiveResponse(responseTo(ict.request, 486));
    vi.advanceTimersByTime(31_999);
    expect(ict.state).toBe('Accepted');
    vi.advanceTimersByTime(1);
    expect(ict.state).toBe('Terminated');
    expect(received.map((r) => r.to.tag)).toEqual(['fork1', 'fork1', 'fork2']);
    expect(t.sent).toHaveLength(1);
  });
});

describe('non-INVITE client transaction (§17.1.2.2)', () => {
  it('Timer E doubles up to T2, Timer F reports a timeout at 64*T1', () => {
    const t = new FakeTransport(false);
    const timeouts = vi.fn();
    const nict = new NonInviteClientTransaction(request('OPTIONS', { branch }), udpPeer, t, timers, { onTimeout: timeouts });
    vi.advanceTimersByTime(31_999);
    expect(t.times).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    vi.advanceTimersByTime(1);
    expect(timeouts).toHaveBeenCalledTimes(1);
    expect(nict.state).toBe('Terminated');
  });

  it('in Proceeding, Timer E retransmits every T2, and Timer F still fires', () => {
    const t = new FakeTransport(false);
    const timeouts = vi.fn();
    const nict = new NonInviteClientTransaction(request('OPTIONS', { branch }), udpPeer, t, timers, { onTimeout: timeouts });
    vi.advanceTimersByTime(600);
    nict.receiveResponse(responseTo(nict.request, 100));
    expect(nict.state).toBe('Proceeding');
    vi.advanceTimersByTime(32_000 - 600);
    expect(t.times).toEqual([0, 500, 1500, 5500, 9500, 13500, 17500, 21500, 25500, 29500]);
    expect(timeouts).toHaveBeenCalledTimes(1);
    expect(nict.state).toBe('Terminated');
  });

  it('no retransmission over a reliable transport; Timer F still fires', () => {
    const t = new FakeTransport(true);
    const timeouts = vi.fn();
    new NonInviteClientTransaction(request('OPTIONS', { branch }), tcpPeer, t, timers, { onTimeout: timeouts });
    vi.advanceTimersByTime(32_000);
    expect(t.times).toEqual([0]);
    expect(timeouts).toHaveBeenCalledTimes(1);
  });

  it('Timer K: final response retransmissions absorbed for T4, no more retransmission', () => {
    const t = new FakeTransport(false);
    const received = vi.fn();
    const nict = new NonInviteClientTransaction(request('OPTIONS', { branch }), udpPeer, t, timers, { receiveResponse: received });
    const ok = responseTo(nict.request, 200);
    nict.receiveResponse(ok);
    vi.advanceTimersByTime(1000);
    nict.receiveResponse(ok);
    expect(received).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(3999);
    expect(nict.state).toBe('Completed');
    vi.advanceTimersByTime(1);
    expect(nict.state).toBe('Terminated');
    expect(t.times).toEqual([0]);
  });
});

describe('INVITE server transaction (§17.2.1)', () => {
  it('sends 100 Trying after 200 ms if the TU has not answered, copying Via, From, To, Call-ID, CSeq', () => {
    const t = new FakeTransport(false);
    const invite = request('INVITE', { branch });
    new InviteServerTransaction(invite, udpPeer, t, timers);
    vi.advanceTimersByTime(199);
    expect(t.sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    const [trying] = t.responses(100);
    expect(t.times).toEqual([200]);
    expect(t.sent[0]!.destination).toBe(udpPeer);
    expect(trying!.getAll('Via')).toEqual(invite.getAll('Via'));
    expect(trying!.to.tag).toBeUndefined();
    expect(trying!.callId).toBe(invite.callId);
    expect(trying!.cseq.toString()).toBe(invite.cseq.toString());
  });

  it('sends no 100 Trying when the TU answers within 200 ms', () => {
    const t = new FakeTransport(false);
    const ist = new InviteServerTransaction(request('INVITE', { branch }), udpPeer, t, timers);
    vi.advanceTimersByTime(150);
    ist.respond(responseTo(ist.request, 180));
    vi.advanceTimersByTime(1000);
    expect(t.responses(100)).toHaveLength(0);
    expect(t.responses(180)).toHaveLength(1);
    ist.dispose();
  });

  it('a retransmitted INVITE in Proceeding gets the latest provisional response again', () => {
    const t = new FakeTransport(false);
    const ist = new InviteServerTransaction(request('INVITE', { branch }), udpPeer, t, timers);
    ist.receiveRequest(ist.request);
    expect(t.sent).toHaveLength(0);
    vi.advanceTimersByTime(200);
    ist.receiveRequest(ist.request);
    ist.respond(responseTo(ist.request, 180));
    ist.receiveRequest(ist.request);
    expect(t.sent.map((s) => (s.message.kind === 'response' ? s.message.status : 0))).toEqual([100, 100, 180, 180]);
    ist.dispose();
  });

  it('Timer G doubles up to T2 until Timer H reports that no ACK came', () => {
    const t = new FakeTransport(false);
    const timeouts = vi.fn();
    const ist = new InviteServerTransaction(request('INVITE', { branch }), udpPeer, t, timers, { onTimeout: timeouts });
    ist.respond(responseTo(ist.request, 486));
    vi.advanceTimersByTime(31_999);
    expect(t.times).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(t.responses(486)).toHaveLength(11);
    vi.advanceTimersByTime(1);
    expect(timeouts).toHaveBeenCalledTimes(1);
    expect(ist.state).toBe('Terminated');
  });

  it('over a reliable transport, no Timer G; Timer H still fires', () => {
    const t = new FakeTransport(true);
    const timeouts = vi.fn();
    const ist = new InviteServerTransaction(request('INVITE', { branch }), tcpPeer, t, timers, { onTimeout: timeouts });
    ist.respond(responseTo(ist.request, 486));
    vi.advanceTimersByTime(32_000);
    expect(t.times).toEqual([0]);
    expect(timeouts).toHaveBeenCalledTimes(1);
    expect(ist.state).toBe('Terminated');
  });

  it('a retransmitted INVITE in Completed gets the final response again', () => {
    const t = new FakeTransport(false);
    const ist = new InviteServerTransaction(request('INVITE', { branch }), udpPeer, t, timers);
    ist.respond(responseTo(ist.request, 486));
    vi.advanceTimersByTime(100);
    ist.receiveRequest(ist.request);
    expect(t.times).toEqual([0, 100]);
    expect(t.responses(486)).toHaveLength(2);
    ist.dispose();
  });

  it('ACK: Confirmed stops Timer G and H; Timer I (T4) absorbs further ACKs', () => {
    const t = new FakeTransport(false);
    const timeouts = vi.fn();
    const ist = new InviteServerTransaction(request('INVITE', { branch }), udpPeer, t, timers, { onTimeout: timeouts });
    const busy = responseTo(ist.request, 486);
    ist.respond(busy);
    vi.advanceTimersByTime(600);
    const ack = request('ACK', { branch, toTag: busy.to.tag });
    ist.receiveRequest(ack);
    expect(ist.state).toBe('Confirmed');
    ist.receiveRequest(ack);
    ist.receiveRequest(ist.request);
    vi.advanceTimersByTime(4999);
    expect(ist.state).toBe('Confirmed');
    vi.advanceTimersByTime(1);
    expect(ist.state).toBe('Terminated');
    expect(t.times).toEqual([0, 500]);
    expect(timeouts).not.toHaveBeenCalled();
  });

  it('Timer I is zero over a reliable transport', () => {
    const t = new FakeTransport(true);
    const ist = new InviteServerTransaction(request('INVITE', { branch }), tcpPeer, t, timers);
    ist.respond(responseTo(ist.request, 486));
    ist.receiveRequest(request('ACK', { branch }));
    expect(ist.state).toBe('Terminated');
  });

  it('2xx: Accepted absorbs INVITE retransmissions, sends 2xx the TU retransmits, ends on Timer L', () => {
    const t = new FakeTransport(false);
    const ist = new InviteServerTransaction(request('INVITE', { branch }), udpPeer, t, timers);
    const ok = responseTo(ist.request, 200);
    ist.respond(ok);
    expect(ist.state).toBe('Accepted');
    ist.receiveRequest(ist.request);
    vi.advanceTimersByTime(500);
    ist.respond(ok);
    expect(t.times).toEqual([0, 500]);
    vi.advanceTimersByTime(32_000 - 500 - 1);
    expect(ist.state).toBe('Accepted');
    vi.advanceTimersByTime(1);
    expect(ist.state).toBe('Terminated');
    expect(t.times).toEqual([0, 500]);
  });
});

describe('non-INVITE server transaction (§17.2.2)', () => {
  it('Trying discards retransmissions; Proceeding resends the last provisional; Completed the final', () => {
    const t = new FakeTransport(false);
    const nist = new NonInviteServerTransaction(request('REGISTER', { branch }), udpPeer, t, timers);
    nist.receiveRequest(nist.request);
    expect(t.sent).toHaveLength(0);
    nist.respond(responseTo(nist.request, 100));
    nist.receiveRequest(nist.request);
    nist.respond(responseTo(nist.request, 200));
    nist.receiveRequest(nist.request);
    nist.respond(responseTo(nist.request, 500));
    expect(t.sent.map((s) => (s.message.kind === 'response' ? s.message.status : 0))).toEqual([100, 100, 200, 200]);
    nist.dispose();
  });

  it('Timer J: 64*T1 over an unreliable transport, answering retransmissions meanwhile', () => {
    const t = new FakeTransport(false);
    const nist = new NonInviteServerTransaction(request('REGISTER', { branch }), udpPeer, t, timers);
    nist.respond(responseTo(nist.request, 200));
    vi.advanceTimersByTime(31_999);
    nist.receiveRequest(nist.request);
    expect(nist.state).toBe('Completed');
    vi.advanceTimersByTime(1);
    expect(nist.state).toBe('Terminated');
    expect(t.times).toEqual([0, 31_999]);
  });

  it('Timer J is zero over a reliable transport', () => {
    const t = new FakeTransport(true);
    const nist = new NonInviteServerTransaction(request('REGISTER', { branch }), tcpPeer, t, timers);
    nist.respond(responseTo(nist.request, 200));
    expect(nist.state).toBe('Terminated');
    expect(t.times).toEqual([0]);
  });
});
