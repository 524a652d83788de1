/**
 * A call's SIP messages as the core logs them (`log.sip`): eve at 127.0.0.1:5062 calls bob through
 * a proxy at 127.0.0.1:5060, bob answers, eve hangs up. For ladder and log tests.
 */
import type { SipLogEntry } from '../../shared/model.js';

export const PHONE = '127.0.0.1:5062';
export const PROXY = '127.0.0.1:5060';

function message(firstLine: string, headers: string[], body = ''): string {
  const length = Buffer.byteLength(body);
  return [firstLine, ...headers, `Content-Length: ${length}`, '', body].join('\r\n');
}

/** The seven messages of a call (INVITE 100 180 200 ACK BYE 200), 100 ms apart from `at`. */
export function callFlow(options: { callId?: string; at?: number; seq?: number; from?: string; to?: string } = {}): SipLogEntry[] {
  const callId = options.callId ?? 'a84b4c76e66710@eve';
  const at = options.at ?? 1_700_000_000_000;
  const from = options.from ?? '"Eve" <sip:eve@lab.test>;tag=1928301774';
  const to = options.to ?? '<sip:bob@lab.test>';
  const toTagged = `${to};tag=a6c85cf`;
  const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';
  const common = (cseq: string, toValue: string) => [`Via: SIP/2.0/UDP ${PHONE};branch=z9hG4bK776asdhds`, `From: ${from}`, `To: ${toValue}`, `Call-ID: ${callId}`, `CSeq: ${cseq}`];
  const flow: [SipLogEntry['direction'], string, string[], string?][] = [
    ['out', 'INVITE sip:bob@lab.test SIP/2.0', [...common('1 INVITE', to), 'Content-Type: application/sdp'], sdp],
    ['in', 'SIP/2.0 100 Trying', common('1 INVITE', to)],
    ['in', 'SIP/2.0 180 Ringing', common('1 INVITE', toTagged)],
    ['in', 'SIP/2.0 200 OK', [...common('1 INVITE', toTagged), 'Content-Type: application/sdp'], sdp],
    ['out', 'ACK sip:bob@127.0.0.1:5070 SIP/2.0', common('1 ACK', toTagged)],
    ['out', 'BYE sip:bob@127.0.0.1:5070 SIP/2.0', common('2 BYE', toTagged)],
    ['in', 'SIP/2.0 200 OK', common('2 BYE', toTagged)],
  ];
  return flow.map(([direction, firstLine, headers, body], index) => ({
    seq: (options.seq ?? 0) + index,
    at: at + index * 100,
    direction,
    transport: 'udp',
    local: PHONE,
    remote: PROXY,
    callId,
    firstLine,
    text: message(firstLine, headers, body),
  }));
}

/** A REGISTER and its 200, with their own Call-ID. */
export function registration(at: number, seq: number): SipLogEntry[] {
  const headers = ['From: <sip:eve@lab.test>;tag=x1', 'To: <sip:eve@lab.test>', 'Call-ID: reg-1@eve', 'CSeq: 5 REGISTER'];
  return [
    { seq, at, direction: 'out', transport: 'udp', local: PHONE, remote: PROXY, callId: 'reg-1@eve', firstLine: 'REGISTER sip:lab.test SIP/2.0', text: message('REGISTER sip:lab.test SIP/2.0', headers) },
    { seq: seq + 1, at: at + 20, direction: 'in', transport: 'udp', local: PHONE, remote: PROXY, callId: 'reg-1@eve', firstLine: 'SIP/2.0 200 OK', text: message('SIP/2.0 200 OK', headers) },
  ];
}
