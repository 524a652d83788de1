/** Matching in the transaction layer (RFC 3261 §17.1.3, §17.2.3, §9.2), call flow by call flow. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SipRequest } from '../../../../../main/core/sip/messages/index.js';
import {
  InviteClientTransaction,
  NonInviteServerTransaction,
  TransactionLayer,
  type InviteServerTransaction,
  type ServerTransaction,
} from '../../../../../main/core/sip/transactions/index.js';
import { FakeTransport, request, responseTo, udpPeer } from './helpers.js';

let transport: FakeTransport;
let layer: TransactionLayer;
let created: { request: SipRequest; transaction: ServerTransaction }[];
const acks: SipRequest[] = [];
const strays: number[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  transport = new FakeTransport(false);
  created = [];
  acks.length = 0;
  strays.length = 0;
  let n = 0;
  layer = new TransactionLayer({
    transport,
    generateBranch: () => `z9hG4bKtest${++n}`,
    localSentBy: () => 'alice.example.com:5060',
    delegate: {
      receiveRequest: (req, transaction) => void created.push({ request: req, transaction }),
      receiveAck: (ack) => void acks.push(ack),
      receiveStrayResponse: (response) => void strays.push(response.status),
    },
  });
});

afterEach(() => {
  layer.dispose();
  vi.useRealTimers();
});

describe('client transactions (§17.1.3)', () => {
  it('sets a z9hG4bK branch on the top Via, or adds a Via, and keeps an RFC 3261 branch', () => {
    const invite = request('INVITE');
    layer.createClientTransaction(invite, udpPeer);
    expect(invite.topVia!.branch).toBe('z9hG4bKtest1');
    const bare = request('OPTIONS', { via: false });
    layer.createClientTransaction(bare, udpPeer);
    expect(bare.getAll('Via')).toEqual(['SIP/2.0/UDP alice.example.com:5060;branch=z9hG4bKtest2']);
    const cancel = request('CANCEL', { branch: 'z9hG4bKtest1' });
    layer.createClientTransaction(cancel, udpPeer);
    expect(cancel.topVia!.branch).toBe('z9hG4bKtest1');
    expect(layer.clientTransactionCount).toBe(3);
  });

  it('matches a response by branch and CSeq method: the CANCEL 200 does not reach the INVITE', () => {
    const inviteTu = vi.fn();
    const cancelTu = vi.fn();
    const invite = request('INVITE');
    const ict = layer.createClientTransaction(invite, udpPeer, { receiveResponse: inviteTu });
    const cancel = request('CANCEL', { branch: invite.topVia!.branch });
    layer.createClientTransaction(cancel, udpPeer, { receiveResponse: cancelTu });
    layer.receiveResponse(responseTo(cancel, 200), udpPeer);
    layer.receiveResponse(responseTo(invite, 487), udpPeer);
    expect(cancelTu).toHaveBeenCalledTimes(1);
    expect(inviteTu).toHaveBeenCalledTimes(1);
    expect(ict.state).toBe('Completed');
  });

  it('hands a response matching no transaction to the TU as stray, and forgets terminated ones', () => {
    const options = request('OPTIONS');
    layer.createClientTransaction(options, udpPeer);
    layer.receiveResponse(responseTo(options, 200), udpPeer);
    vi.advanceTimersByTime(5000);
    expect(layer.clientTransactionCount).toBe(0);
    layer.receiveResponse(responseTo(options, 200), udpPeer);
    layer.receiveResponse(responseTo(request('INVITE', { branch: 'z9hG4bKunknown' }), 200), udpPeer);
    expect(strays).toEqual([200, 200]);
  });

  it('refuses an ACK as a transaction, and sendAck passes it straight to the transport', async () => {
    const ack = request('ACK');
    expect(() => layer.createClientTransaction(ack, udpPeer)).toThrow(RangeError);
    await layer.sendAck(ack, udpPeer);
    expect(transport.requests('ACK')).toHaveLength(1);
    expect(ack.topVia!.hasRfc3261Branch).toBe(true);
  });
});

describe('server transactions (§17.2.3)', () => {
  it('a new request makes a server transaction for the TU; a retransmission is absorbed, the last response resent', () => {
    const register = request('REGISTER', { branch: 'z9hG4bKreg' });
    layer.receiveRequest(register, udpPeer);
    expect(created).toHaveLength(1);
    const nist = created[0]!.transaction;
    expect(nist).toBeInstanceOf(NonInviteServerTransaction);
    nist.respond(responseTo(register, 200));
    layer.receiveRequest(request('REGISTER', { branch: 'z9hG4bKreg' }), udpPeer);
    expect(created).toHaveLength(1);
    expect(transport.responses(200)).toHaveLength(2);
    expect(transport.sent.every((s) => s.destination === udpPeer)).toBe(true);
  });

  it('the same branch from another sent-by, or with another method, is another transaction', () => {
    layer.receiveRequest(request('INVITE', { branch: 'z9hG4bKx' }), udpPeer);
    layer.receiveRequest(request('INVITE', { branch: 'z9hG4bKx', sentBy: 'other.example.com' }), udpPeer);
    layer.receiveRequest(request('CANCEL', { branch: 'z9hG4bKx' }), udpPeer);
    expect(created.map((c) => c.transaction.kind)).toEqual(['invite-server', 'invite-server', 'non-invite-server']);
  });

  it('the ACK for a non-2xx matches the INVITE transaction; the ACK for a 2xx (new branch) goes to the TU', () => {
    const invite = request('INVITE', { branch: 'z9hG4bKinv' });
    layer.receiveRequest(invite, udpPeer);
    const ist = created[0]!.transaction as InviteServerTransaction;
    ist.respond(responseTo(invite, 486, 'b1'));
    layer.receiveRequest(request('ACK', { branch: 'z9hG4bKinv', toTag: 'b1', cseqMethod: 'ACK' }), udpPeer);
    expect(ist.state).toBe('Confirmed');
    expect(acks).toHaveLength(0);

    const invite2 = request('INVITE', { branch: 'z9hG4bKinv2', seq: 2 });
    layer.receiveRequest(invite2, udpPeer);
    const ist2 = created[1]!.transaction as InviteServerTransaction;
    ist2.respond(responseTo(invite2, 200, 'b2'));
    layer.receiveRequest(request('ACK', { branch: 'z9hG4bKack2', toTag: 'b2', seq: 2 }), udpPeer);
    expect(acks).toHaveLength(1);
    expect(ist2.state).toBe('Accepted');
    expect(created).toHaveLength(2);
  });

  it('an ACK matching an INVITE transaction in Accepted goes to the TU (RFC 6026 §8.7)', () => {
    const invite = request('INVITE', { branch: 'z9hG4bKinv' });
    layer.receiveRequest(invite, udpPeer);
    created[0]!.transaction.respond(responseTo(invite, 200, 'b1'));
    layer.receiveRequest(request('ACK', { branch: 'z9hG4bKinv', toTag: 'b1' }), udpPeer);
    expect(acks).toHaveLength(1);
  });

  it('a CANCEL is its own transaction, and finds the INVITE transaction it cancels (§9.2)', () => {
    const invite = request('INVITE', { branch: 'z9hG4bKinv' });
    layer.receiveRequest(invite, udpPeer);
    const cancel = request('CANCEL', { branch: 'z9hG4bKinv' });
    layer.receiveRequest(cancel, udpPeer);
    expect(created[1]!.transaction).toBeInstanceOf(NonInviteServerTransaction);
    expect(layer.findInviteServerTransaction(cancel)).toBe(created[0]!.transaction);
    expect(layer.findInviteServerTransaction(request('CANCEL', { branch: 'z9hG4bKnone' }))).toBeUndefined();
  });

  it('RFC 2543 fallback: without the magic cookie, matches on Request-URI, tags, Call-ID, CSeq and top Via', () => {
    const old = { branch: '1234' } as const;
    const invite = request('INVITE', old);
    layer.receiveRequest(invite, udpPeer);
    layer.receiveRequest(request('INVITE', old), udpPeer);
    expect(created).toHaveLength(1);
    layer.receiveRequest(request('INVITE', { ...old, fromTag: 'other' }), udpPeer);
    layer.receiveRequest(request('INVITE', { ...old, callId: 'other@x' }), udpPeer);
    layer.receiveRequest(request('INVITE', { ...old, seq: 1 }), udpPeer);
    layer.receiveRequest(request('INVITE', { ...old, uri: 'sip:carol@biloxi.example.com' }), udpPeer);
    layer.receiveRequest(request('INVITE', { ...old, sentBy: 'elsewhere.example.com' }), udpPeer);
    layer.receiveRequest(request('INVITE', { ...old, toTag: 'x' }), udpPeer);
    expect(created).toHaveLength(7);

    const ist = created[0]!.transaction as InviteServerTransaction;
    ist.respond(responseTo(invite, 486, 'b1'));
    layer.receiveRequest(request('ACK', { ...old, toTag: 'wrong' }), udpPeer);
    expect(ist.state).toBe('Completed');
    expect(acks).toHaveLength(1);
    layer.receiveRequest(request('ACK', { ...old, toTag: 'b1' }), udpPeer);
    expect(ist.state).toBe('Confirmed');
    expect(layer.findInviteServerTransaction(request('CANCEL', old))).toBe(ist);
  });

  it('forgets a server transaction when it terminates: the next copy is a new request', () => {
    const options = request('OPTIONS', { branch: 'z9hG4bKo' });
    layer.receiveRequest(options, udpPeer);
    created[0]!.transaction.respond(responseTo(options, 200));
    vi.advanceTimersByTime(32_000);
    expect(layer.serverTransactionCount).toBe(0);
    layer.receiveRequest(request('OPTIONS', { branch: 'z9hG4bKo' }), udpPeer);
    expect(created).toHaveLength(2);
  });

  it('dispose terminates every transaction and stops every timer', () => {
    layer.receiveRequest(request('INVITE', { branch: 'z9hG4bKinv' }), udpPeer);
    const ict = layer.createClientTransaction(request('INVITE'), udpPeer);
    layer.dispose();
    expect(ict).toBeInstanceOf(InviteClientTransaction);
    expect(ict.state).toBe('Terminated');
    expect(layer.serverTransactionCount + layer.clientTransactionCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
