/**
 * A REGISTER request as RFC 3261 §10.2 builds it:
 *
 *   REGISTER sip:lab.test;transport=tcp SIP/2.0            Request-URI: the registrar (§10.2)
 *   Route: <sip:proxy.lab.test;transport=tcp;lr>           the outbound proxy, loose (§8.1.2)
 *   Max-Forwards: 70                                       §8.1.1.6
 *   From: <sip:eve@lab.test>;tag=…                         the AOR (third-party: not done)
 *   To: <sip:eve@lab.test>                                 the AOR being registered
 *   Call-ID: …                                             the same for every REGISTER (§10.2)
 *   CSeq: 7 REGISTER                                       one more each time (§10.2, §8.1.1.5)
 *   Contact: <sip:eve@192.0.2.4:5060;transport=tcp>;expires=600
 *   Expires: 600
 *   Supported: path
 *   Allow: INVITE, ACK, …
 *
 * The lifetime goes both in the Contact's expires parameter (which wins, §10.2.1.1) and in
 * Expires, for registrars that read only one.
 */
import type { AuthorizationField } from '../auth/index.js';
import { Parameters } from '../grammar/parameters.js';
import { Contact, SipRequest, type HeaderValue, type NameAddr } from '../messages/index.js';
import type { SipUri, Uri } from '../uri/index.js';

export interface RegisterRequestInit {
  /** The Request-URI: the registrar, its transport pinned if needed. */
  readonly registrar: Uri;
  readonly route: readonly NameAddr[];
  readonly aor: SipUri;
  readonly fromTag: string;
  readonly callId: string;
  readonly cseq: number;
  readonly contact: Uri;
  /** Seconds; 0 removes our binding (§10.2.2). */
  readonly expires: number;
  readonly supported: readonly string[];
  readonly allow: readonly string[];
  readonly userAgent?: string;
  /** Authorization / Proxy-Authorization fields from the `DigestClient` (§22.2, §22.3). */
  readonly credentials: readonly AuthorizationField[];
}

export function createRegisterRequest(init: RegisterRequestInit): SipRequest {
  const aor = `<${init.aor.toString()}>`;
  const headers: [string, HeaderValue][] = [];
  for (const route of init.route) headers.push(['Route', route]);
  headers.push(
    ['Max-Forwards', 70],
    ['From', `${aor};tag=${init.fromTag}`],
    ['To', aor],
    ['Call-ID', init.callId],
    ['CSeq', `${init.cseq} REGISTER`],
    ['Contact', new Contact(init.contact, undefined, Parameters.from({ expires: init.expires }))],
    ['Expires', init.expires],
  );
  if (init.supported.length > 0) headers.push(['Supported', init.supported.join(', ')]);
  if (init.allow.length > 0) headers.push(['Allow', init.allow.join(', ')]);
  if (init.userAgent !== undefined) headers.push(['User-Agent', init.userAgent]);
  for (const field of init.credentials) headers.push([field.name, field.value]);
  return new SipRequest({ method: 'REGISTER', uri: init.registrar, headers });
}
