/** The §4.1.3 table of reasons, and the §4.1.2 causes (RFC 6665). */
import { describe, expect, it } from 'vitest';
import { retryDecision, type SubscriptionTermination } from '../../../../../main/core/sip/subscriptions/index.js';

describe('retryDecision (RFC 6665 §4.1.3)', () => {
  it.each([
    [{ cause: 'notify', reason: 'deactivated' }, { retry: true, afterSeconds: 0 }],
    [{ cause: 'notify', reason: 'deactivated', retryAfter: 50 }, { retry: true, afterSeconds: 0 }],
    [{ cause: 'notify', reason: 'timeout', retryAfter: 50 }, { retry: true, afterSeconds: 0 }],
    [{ cause: 'notify', reason: 'probation' }, { retry: true, afterSeconds: 45 }],
    [{ cause: 'notify', reason: 'probation', retryAfter: 300 }, { retry: true, afterSeconds: 300 }],
    [{ cause: 'notify', reason: 'giveup' }, { retry: true, afterSeconds: 45 }],
    [{ cause: 'notify', reason: 'giveup', retryAfter: 5 }, { retry: true, afterSeconds: 5 }],
    [{ cause: 'notify', reason: 'rejected', retryAfter: 5 }, { retry: false }],
    [{ cause: 'notify', reason: 'noresource' }, { retry: false }],
    [{ cause: 'notify', reason: 'invariant' }, { retry: false }],
    [{ cause: 'notify' }, { retry: false }],
    [{ cause: 'notify', retryAfter: 12 }, { retry: true, afterSeconds: 12 }],
    [{ cause: 'notify', reason: 'x-moved', retryAfter: 12 }, { retry: true, afterSeconds: 12 }],
    [{ cause: 'refresh-rejected', code: 481 }, { retry: true, afterSeconds: 0 }],
    [{ cause: 'expired' }, { retry: true, afterSeconds: 0 }],
    [{ cause: 'notify-timeout' }, { retry: false }],
    [{ cause: 'rejected', code: 403 }, { retry: false }],
    [{ cause: 'rejected', code: 503, retryAfter: 30 }, { retry: true, afterSeconds: 30 }],
    [{ cause: 'request-failed' }, { retry: false }],
    [{ cause: 'unsubscribed' }, { retry: false }],
    [{ cause: 'disposed' }, { retry: false }],
  ] as [SubscriptionTermination, unknown][])('%o → %o', (termination, decision) => {
    expect(retryDecision(termination, 45)).toEqual(decision);
  });
});
