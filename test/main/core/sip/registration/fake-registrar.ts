/** A scripted registrar behind the `RegistrationSender` interface: no sockets, no timers of its own. */
import { createResponse } from '../../../../../main/core/sip/messages/create-response.js';
import type { SipRequest, SipResponse } from '../../../../../main/core/sip/messages/index.js';
import type { RegistrationSender } from '../../../../../main/core/sip/registration/index.js';

/** How the registrar answers one REGISTER: a response, an error to reject with, or silence. */
export type Answer = (request: SipRequest) => SipResponse | Error | 'silence';

export class FakeRegistrar implements RegistrationSender {
  readonly requests: SipRequest[] = [];
  private readonly script: Answer[] = [];

  /** What is answered once the script is used up; default: 200 granting what was asked. */
  constructor(private readonly otherwise: Answer = grant()) {}

  /** Answers the next REGISTERs, in order. */
  answer(...answers: Answer[]): this {
    this.script.push(...answers);
    return this;
  }

  send(request: SipRequest): Promise<SipResponse> {
    this.requests.push(request);
    const answer = (this.script.shift() ?? this.otherwise)(request);
    if (answer === 'silence') return new Promise(() => {});
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  }

  get last(): SipRequest {
    const last = this.requests.at(-1);
    if (last === undefined) throw new Error('no REGISTER yet');
    return last;
  }
}

/** 200 listing the request's Contact with the lifetime asked (or `expires`), plus `headers`. */
export function grant(expires?: number, headers: [string, string][] = []): Answer {
  return (request) => {
    const contact = request.contacts[0];
    const listed = contact === undefined || contact.wildcard ? [] : [['Contact', contact.withParam('expires', String(expires ?? contact.expires ?? 0)).toString()] as [string, string]];
    return createResponse(request, 200, { toTag: 'reg', headers: [...listed, ...headers] });
  };
}

export function status(code: number, headers: [string, string][] = []): Answer {
  return (request) => createResponse(request, code, { toTag: 'reg', headers });
}

/** 401 with a Digest challenge (MD5, qop=auth). */
export function challenge(nonce = 'n1', extra = ''): Answer {
  return status(401, [['WWW-Authenticate', `Digest realm="lab.test", nonce="${nonce}", qop="auth"${extra}`]]);
}

export function fail(error: Error): Answer {
  return () => error;
}

export const silence: Answer = () => 'silence';
