import { describe, expect, it } from 'vitest';
import { Dialog, DialogState, DialogStateError, OutOfOrderRequestError } from '../../../../../main/core/sip/dialogs/index.js';
import { createResponse } from '../../../../../main/core/sip/messages/create-response.js';
import { SipRequest } from '../../../../../main/core/sip/messages/index.js';

function invite(extra: [string, string][] = []): SipRequest {
  return new SipRequest({
    method: 'INVITE',
    uri: 'sip:bob@example.com',
    headers: [
      ['Via', 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK1'],
      ['Max-Forwards', '70'],
      ['From', '"Alice" <sip:alice@example.com>;tag=alice-tag'],
      ['To', '<sip:bob@example.com>'],
      ['Call-ID', 'call-1@192.0.2.10'],
      ['CSeq', '314 INVITE'],
      ['Contact', '<sip:alice@192.0.2.10:5060>'],
      ...extra,
    ],
  });
}

/** Bob's 2xx as the proxies forward it: both Record-Routes, bob's Contact. */
function answer(request: SipRequest, status = 200) {
  return createResponse(request, status, {
    toTag: 'bob-tag',
    headers: [
      ['Record-Route', '<sip:p2.example.com;lr>'],
      ['Record-Route', '<sip:p1.example.com;lr>'],
      ['Contact', '<sip:bob@192.0.2.20:5062>'],
    ],
  });
}

describe('dialog as UAC (§12.1.2) and its requests (§12.2.1.1)', () => {
  it('takes route set in reverse, remote target from Contact, sequence from the INVITE', () => {
    const request = invite();
    const dialog = Dialog.asUac(request, answer(request), '<sip:alice@192.0.2.10:5060>');
    expect(dialog.state).toBe(DialogState.Confirmed);
    expect(dialog.id).toEqual({ callId: 'call-1@192.0.2.10', localTag: 'alice-tag', remoteTag: 'bob-tag' });
    expect(dialog.routeSet.map((r) => r.uri.toString())).toEqual(['sip:p1.example.com;lr', 'sip:p2.example.com;lr']);
    expect(dialog.remoteTarget.toString()).toBe('sip:bob@192.0.2.20:5062');
    expect(dialog.localSeq).toBe(314);
    expect(dialog.remoteSeq).toBeUndefined();

    const bye = dialog.createRequest('BYE');
    expect(bye.uri.toString()).toBe('sip:bob@192.0.2.20:5062');
    expect(bye.getAll('Route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(bye.from.tag).toBe('alice-tag');
    expect(bye.from.displayName).toBe('Alice');
    expect(bye.to.tag).toBe('bob-tag');
    expect(bye.callId).toBe('call-1@192.0.2.10');
    expect(bye.get('CSeq')).toBe('315 BYE');
    expect(bye.has('Contact')).toBe(false);
    const reinvite = dialog.createRequest('INVITE');
    expect(reinvite.get('CSeq')).toBe('316 INVITE');
    expect(reinvite.get('Contact')).toBe('<sip:alice@192.0.2.10:5060>');
    expect(dialog.createRequest('ACK', { cseq: 316 }).get('CSeq')).toBe('316 ACK');
    expect(dialog.localSeq).toBe(316);
  });

  it('uses strict routing when the first route has no lr', () => {
    const request = invite();
    const response = createResponse(request, 200, {
      toTag: 'bob-tag',
      headers: [
        ['Record-Route', '<sip:p2.example.com;lr>'],
        ['Record-Route', '<sip:p1.example.com>'],
        ['Contact', '<sip:bob@192.0.2.20>'],
      ],
    });
    const bye = Dialog.asUac(request, response, '<sip:alice@192.0.2.10>').createRequest('BYE');
    expect(bye.uri.toString()).toBe('sip:p1.example.com');
    expect(bye.getAll('Route')).toEqual(['<sip:p2.example.com;lr>', '<sip:bob@192.0.2.20>']);
  });

  it('starts early on a 1xx with a tag, then confirms; refuses moves out of Terminated', () => {
    const request = invite();
    const dialog = Dialog.asUac(request, answer(request, 180), '<sip:alice@192.0.2.10>');
    expect(dialog.state).toBe(DialogState.Early);
    dialog.confirm();
    expect(dialog.state).toBe(DialogState.Confirmed);
    dialog.terminate();
    expect(() => dialog.confirm()).toThrowError(DialogStateError);
    expect(() => dialog.createRequest('BYE')).toThrowError(DialogStateError);
  });

  it('refreshes the remote target from a 2xx to a re-INVITE (§12.2.1.2)', () => {
    const request = invite();
    const dialog = Dialog.asUac(request, answer(request), '<sip:alice@192.0.2.10>');
    const reinvite = dialog.createRequest('INVITE');
    const moved = createResponse(reinvite, 200, { headers: [['Contact', '<sip:bob@198.51.100.7:5070>']] });
    dialog.receiveResponse(reinvite, moved);
    expect(dialog.remoteTarget.toString()).toBe('sip:bob@198.51.100.7:5070');
  });

  it('needs tags and a Contact', () => {
    const request = invite();
    expect(() => Dialog.asUac(request, createResponse(request, 200, { headers: [['Contact', '<sip:b@x>']] }).set('To', '<sip:bob@example.com>'), '<sip:a@x>')).toThrowError(DialogStateError);
    expect(() => Dialog.asUac(request, createResponse(request, 200), '<sip:a@x>')).toThrowError(/Contact/);
  });
});

describe('dialog as UAS (§12.1.1) and requests it receives (§12.2.2)', () => {
  it('takes route set in order, remote sequence from the request, and checks order', () => {
    const request = invite([
      ['Record-Route', '<sip:p1.example.com;lr>'],
      ['Record-Route', '<sip:p2.example.com;lr>'],
    ]);
    const ok = createResponse(request, 200, { toTag: 'bob-tag', headers: [['Contact', '<sip:bob@192.0.2.20>']] });
    const dialog = Dialog.asUas(request, ok, '<sip:bob@192.0.2.20>');
    expect(dialog.id).toEqual({ callId: 'call-1@192.0.2.10', localTag: 'bob-tag', remoteTag: 'alice-tag' });
    expect(dialog.routeSet.map((r) => r.uri.toString())).toEqual(['sip:p1.example.com;lr', 'sip:p2.example.com;lr']);
    expect(dialog.remoteSeq).toBe(314);
    expect(dialog.localSeq).toBeUndefined();

    const bye = dialog.createRequest('BYE');
    expect(bye.uri.toString()).toBe('sip:alice@192.0.2.10:5060');
    expect(bye.from.tag).toBe('bob-tag');
    expect(bye.to.tag).toBe('alice-tag');
    expect(bye.cseq.seq).toBeGreaterThan(0);
    expect(bye.cseq.seq).toBeLessThan(2 ** 31);

    const fromAlice = (method: string, seq: number, contact?: string) =>
      new SipRequest({
        method,
        uri: 'sip:bob@192.0.2.20',
        headers: [
          ['Via', 'SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK9'],
          ['From', '<sip:alice@example.com>;tag=alice-tag'],
          ['To', '<sip:bob@example.com>;tag=bob-tag'],
          ['Call-ID', 'call-1@192.0.2.10'],
          ['CSeq', `${seq} ${method}`],
          ...(contact === undefined ? [] : [['Contact', contact] as [string, string]]),
        ],
      });
    expect(dialog.matches(fromAlice('BYE', 315), true)).toBe(true);
    expect(dialog.matches(fromAlice('BYE', 315).set('To', '<sip:bob@example.com>;tag=other'), true)).toBe(false);
    dialog.receiveRequest(fromAlice('INVITE', 316, '<sip:alice@203.0.113.5>'));
    expect(dialog.remoteTarget.toString()).toBe('sip:alice@203.0.113.5');
    expect(dialog.remoteSeq).toBe(316);
    dialog.receiveRequest(fromAlice('ACK', 316));
    expect(() => dialog.receiveRequest(fromAlice('INFO', 310))).toThrowError(OutOfOrderRequestError);
    dialog.receiveRequest(fromAlice('INFO', 317));
    expect(dialog.remoteSeq).toBe(317);
  });
});
