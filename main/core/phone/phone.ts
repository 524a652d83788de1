/**
 * The phone: the one place that knows the user's view (accounts, calls) and implements the
 * contract's requests. Hosts call it only through `handlers`; it tells them what happened only
 * through the `EventHub`.
 */
import type { Handlers } from '../../../shared/contract.js';
import { PhoneError } from '../../../shared/errors.js';
import type { AppInfo, CallView } from '../../../shared/model.js';
import type { EventHub } from '../events.js';
import { createResponse } from '../sip/messages/create-response.js';
import type { SipRequest } from '../sip/messages/index.js';
import type { ServerTransaction } from '../sip/transactions/index.js';
import type { Accounts } from './accounts.js';
import type { Registrations } from './registrations.js';

/** What this build answers (RFC 3261 §11.2 Allow); the user agent (calls, REGISTER...) comes next. */
const allowed = 'OPTIONS';

export class Phone {
  private readonly calls = new Map<string, CallView>();

  constructor(
    private readonly info: AppInfo,
    private readonly accounts: Accounts,
    private readonly registrations: Registrations,
    readonly events: EventHub,
  ) {}

  /** Registers an account that wants it, unregisters one that no longer does. */
  async syncRegistration(id: string): Promise<void> {
    const account = this.accounts.get(id);
    if (account.enabled && account.register) await this.registrations.register(account);
    else await this.registrations.unregister(id);
  }

  readonly handlers: Handlers = {
    'app.info': async () => this.info,

    'accounts.list': () => this.accounts.list(),
    'accounts.add': async (fields) => {
      const { id } = await this.accounts.add(fields);
      await this.syncRegistration(id);
      return this.accounts.viewOf(id);
    },
    'accounts.update': async ({ id, changes }) => {
      await this.accounts.update(id, changes);
      await this.syncRegistration(id);
      return this.accounts.viewOf(id);
    },
    'accounts.remove': async ({ id }) => {
      this.accounts.get(id);
      await this.registrations.unregister(id);
      await this.accounts.remove(id);
      return null;
    },
    'accounts.register': async ({ id }) => {
      const account = this.accounts.get(id);
      if (!account.enabled) throw new PhoneError('invalid_state', 'the account is disabled', 'id');
      await this.registrations.register(account);
      return this.accounts.statusOf(id);
    },
    'accounts.unregister': async ({ id }) => {
      this.accounts.get(id);
      await this.registrations.unregister(id);
      return this.accounts.statusOf(id);
    },

    'calls.dial': async ({ accountId }) => {
      if (accountId !== undefined) this.accounts.get(accountId);
      throw noSignalling();
    },
    'calls.answer': async ({ callId }) => this.call(callId),
    'calls.reject': async ({ callId }) => this.call(callId),
    'calls.hangup': async ({ callId }) => this.call(callId),
    'calls.list': async () => [...this.calls.values()],
  };

  /**
   * A request outside any transaction we started (the TU's side of §8.2). OPTIONS is answered
   * as §11.2 asks; a method this build does not implement gets 501 with Allow (§8.2.1).
   */
  receiveRequest(request: SipRequest, transaction: ServerTransaction): void {
    const status = request.method === 'OPTIONS' ? 200 : 501;
    transaction.respond(
      createResponse(request, status, {
        headers: [
          ['Allow', allowed],
          ['Accept', 'application/sdp'],
        ],
      }),
    );
  }

  private call(id: string): CallView {
    const call = this.calls.get(id);
    if (call === undefined) throw new PhoneError('not_found', `no call ${id}`, 'callId');
    return call;
  }
}

function noSignalling(): PhoneError {
  return new PhoneError('unsupported', 'SIP signalling is not part of this build yet');
}
