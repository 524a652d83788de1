/**
 * Subscription-State (RFC 6665 §8.2.3):
 *
 *   Subscription-State = HCOLON substate-value *( SEMI subexp-params )
 *   substate-value = "active" / "pending" / "terminated" / extension-substate
 *   subexp-params  = ("reason" EQUAL event-reason-value) / ("expires" EQUAL delta-seconds)
 *                  / ("retry-after" EQUAL delta-seconds) / generic-param
 */
import { Parameters, parseParameters } from '../../grammar/parameters.js';
import { Scanner } from '../../grammar/scanner.js';
import { SipParseError } from '../../grammar/sip-parse-error.js';
import { deltaSeconds } from './integer-headers.js';

export class SubscriptionState {
  /** In lower case: "active", "pending", "terminated" or an extension. */
  readonly state: string;

  constructor(
    state: string,
    readonly params: Parameters = Parameters.empty,
  ) {
    this.state = state.toLowerCase();
  }

  /** Why a subscription ended ("deactivated", "probation", "rejected", "timeout", ...). */
  get reason(): string | undefined {
    return this.params.get('reason')?.toLowerCase();
  }

  get expires(): number | undefined {
    return this.seconds('expires');
  }

  get retryAfter(): number | undefined {
    return this.seconds('retry-after');
  }

  toString(): string {
    return `${this.state}${this.params.toString()}`;
  }

  private seconds(name: string): number | undefined {
    const raw = this.params.get(name);
    if (raw === undefined) return undefined;
    const value = raw === null ? undefined : deltaSeconds(raw);
    if (value === undefined) throw new SipParseError('malformed', 'Bad Subscription-State header field', `bad ${name}`);
    return value;
  }
}

export function parseSubscriptionState(value: string): SubscriptionState {
  const s = new Scanner(value, 'Bad Subscription-State header field');
  s.skipWs();
  const state = s.token();
  const params = parseParameters(s);
  s.expectEnd();
  return new SubscriptionState(state, params);
}
