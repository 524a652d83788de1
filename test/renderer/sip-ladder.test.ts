import { describe, expect, it } from 'vitest';
import { addressKey, buildLadder, callIdOf, exportFileName, exportText, filterLog, groupByCallId, headerValue, methodsIn, noFilter, summarize } from '../../renderer/src/lib/sip-ladder.js';
import { callFlow, PHONE, PROXY, registration } from './sip-flow.js';

describe('SIP ladder', () => {
  it('labels requests by method and responses by status and reason, noting SDP', () => {
    expect(callFlow().map((e) => summarize(e).label)).toEqual(['INVITE (SDP)', '100 Trying', '180 Ringing', '200 OK (SDP)', 'ACK', 'BYE', '200 OK']);
    expect(callFlow().map((e) => summarize(e).kind)).toEqual(['request', 'provisional', 'provisional', 'success', 'request', 'request', 'success']);
    const [, , , ok, , , byeOk] = callFlow();
    expect(summarize(ok!).method).toBe('INVITE');
    expect(summarize(byeOk!).method).toBe('BYE');
    expect(summarize({ firstLine: 'SIP/2.0 486 Busy Here', text: 'SIP/2.0 486 Busy Here\r\nCSeq: 1 INVITE\r\n\r\n' })).toMatchObject({ kind: 'error', status: 486, label: '486 Busy Here' });
    expect(summarize({ firstLine: 'garbage', text: 'garbage', error: 'bad start line' }).kind).toBe('malformed');
  });

  it('reads headers by full or compact name, in the header section only', () => {
    const text = 'INVITE sip:a@b SIP/2.0\r\ni: abc\r\nc: application/sdp\r\n\r\nCall-ID: not-a-header\r\n';
    expect(headerValue(text, 'Call-ID', 'i')).toBe('abc');
    expect(headerValue(text, 'Content-Type', 'c')).toBe('application/sdp');
    expect(headerValue(text, 'To', 't')).toBeUndefined();
  });

  it('draws our address and the far end as columns, each message an arrow between them', () => {
    const ladder = buildLadder(callFlow());
    expect(ladder.parties).toEqual([
      { address: PHONE, local: true, addresses: [PHONE] },
      { address: PROXY, local: false, addresses: [PROXY] },
    ]);
    // A TCP connection's own port is still this phone.
    const flow = callFlow();
    flow[5] = { ...flow[5]!, local: '127.0.0.1:40000', transport: 'tcp' };
    expect(buildLadder(flow).parties.map((p) => p.addresses)).toEqual([[PHONE, '127.0.0.1:40000'], [PROXY]]);
    expect(ladder.arrows.map((a) => [a.from, a.to])).toEqual([[0, 1], [1, 0], [1, 0], [1, 0], [0, 1], [0, 1], [1, 0]]);
    expect(ladder.arrows.map((a) => a.offsetMs)).toEqual([0, 100, 200, 300, 400, 500, 600]);
  });

  it('groups the log by Call-ID and filters it by dialog, method and text', () => {
    const log = [...registration(1_699_999_999_000, 100), ...callFlow()];
    expect([...groupByCallId(log).keys()]).toEqual(['reg-1@eve', 'a84b4c76e66710@eve']);
    expect(filterLog(log, { ...noFilter, callId: 'reg-1@eve' })).toHaveLength(2);
    expect(filterLog(log, { ...noFilter, method: 'BYE' }).map((e) => e.firstLine)).toEqual(['BYE sip:bob@127.0.0.1:5070 SIP/2.0', 'SIP/2.0 200 OK']);
    expect(filterLog(log, { ...noFilter, text: 'ringing' })).toHaveLength(1);
    expect(methodsIn(log)).toEqual(['ACK', 'BYE', 'INVITE', 'REGISTER']);
  });

  it("finds a call's Call-ID: the initial INVITE to or from its remote party nearest its start", () => {
    const start = 1_700_000_000_000;
    const earlier = callFlow({ callId: 'earlier@eve', at: start - 60_000 });
    const other = callFlow({ callId: 'carol@eve', at: start + 50, to: '<sip:carol@lab.test>' });
    const log = [...earlier, ...callFlow({ at: start + 30 }), ...other];
    expect(callIdOf(log, { direction: 'outgoing', remote: { uri: 'sip:bob@lab.test' }, startedAt: start })).toBe('a84b4c76e66710@eve');
    expect(callIdOf(log, { direction: 'outgoing', remote: { uri: 'sip:carol@lab.test' }, startedAt: start })).toBe('carol@eve');
    // Received INVITEs answer incoming calls only, matched on From.
    expect(callIdOf(log, { direction: 'incoming', remote: { uri: 'sip:bob@lab.test' }, startedAt: start })).toBeUndefined();
    expect(addressKey('"Bob" <sip:bob@Lab.Test:5060;transport=udp>;tag=1')).toEqual({ user: 'bob', host: 'lab.test' });
  });

  it('exports each message with its time, offset and addresses, like sngrep', () => {
    const text = exportText(callFlow(), 'SIP messages');
    expect(text).toMatch(/^# SIP messages\n# 7 messages, Call-ID a84b4c76e66710@eve\n/);
    expect(text).toContain(`+0.000 s UDP ${PHONE} -> ${PROXY}\nINVITE sip:bob@lab.test SIP/2.0\n`);
    expect(text).toContain(`+0.200 s UDP ${PROXY} -> ${PHONE}\nSIP/2.0 180 Ringing\n`);
    expect(text).not.toContain('\r');
    expect(exportFileName('a84b/4c@eve', 0)).toMatch(/^sip-a84b_4c_eve-\d{8}\d{6}-\d{3}\.txt$/);
    expect(exportFileName('', 0)).toMatch(/^sip-log-/);
  });
});
