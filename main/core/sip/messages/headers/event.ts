/**
 * Event (RFC 6665 §8.2.1):
 *
 *   Event = ( "Event" / "o" ) HCOLON event-type *( SEMI event-param )
 *   event-type = event-package *( "." event-template )
 *   event-param = generic-param / ( "id" EQUAL token )
 */
import { Parameters, parseParameters } from '../../grammar/parameters.js';
import { Scanner } from '../../grammar/scanner.js';

export class SipEvent {
  constructor(
    /** The whole event-type, e.g. "presence" or "presence.winfo". */
    readonly type: string,
    readonly params: Parameters = Parameters.empty,
  ) {}

  /** The event package: the event-type before any template ("presence"). */
  get package(): string {
    const dot = this.type.indexOf('.');
    return dot < 0 ? this.type : this.type.slice(0, dot);
  }

  /** The event templates, in order ("presence.winfo" → ["winfo"]). */
  get templates(): string[] {
    return this.type.split('.').slice(1);
  }

  /** The id parameter, which tells subscriptions of one dialog apart (RFC 6665 §8.2.1). */
  get id(): string | undefined {
    return this.params.get('id') ?? undefined;
  }

  toString(): string {
    return `${this.type}${this.params.toString()}`;
  }
}

export function parseEvent(value: string): SipEvent {
  const s = new Scanner(value, 'Bad Event header field');
  s.skipWs();
  const type = s.token();
  if (type.startsWith('.') || type.endsWith('.') || type.includes('..')) s.fail('bad event-type');
  const params = parseParameters(s);
  s.expectEnd();
  return new SipEvent(type, params);
}
