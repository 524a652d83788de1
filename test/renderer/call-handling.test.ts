/** The call-handling form model: defaults, reading an account, the fields and changes it sends. */
import { describe, expect, it } from 'vitest';
import { AccountChanges, AccountFields, type AccountView } from '../../shared/model.js';
import { callHandlingChanges, callHandlingFields, callHandlingOf, defaultCallHandling } from '../../renderer/src/lib/call-handling.js';

const account = (extra: Partial<AccountView> = {}): AccountView =>
  ({
    id: 'acc-1',
    user: 'eve',
    domain: 'lab.test',
    transport: 'udp',
    registerExpires: 600,
    register: true,
    callsFromProxyOnly: false,
    busyWhenInCall: false,
    srtp: 'optional',
    dtmfMode: 'rfc4733',
    enabled: true,
    hasPassword: false,
    status: { accountId: 'acc-1', state: 'registered' },
    ...extra,
  }) as AccountView;

describe('call handling form model', () => {
  it('defaults are the contract defaults', () => {
    const parsed = AccountFields.parse({ user: 'eve', domain: 'lab.test' });
    const d = defaultCallHandling();
    expect(d).toMatchObject({
      dnd: parsed.dnd,
      dndCode: parsed.dndCode,
      forwardNoAnswerSeconds: parsed.forwardNoAnswerSeconds,
      autoAnswer: parsed.autoAnswer,
      autoAnswerDelaySeconds: parsed.autoAnswerDelaySeconds,
      transferPolicy: parsed.transferPolicy,
      musicOnHold: parsed.musicOnHold,
    });
  });

  it('reads an account, also one stored before these fields existed', () => {
    expect(callHandlingOf(account())).toEqual(defaultCallHandling());
    expect(callHandlingOf(account({ dnd: true, dndCode: 603, forwardBusy: 'carol' }))).toMatchObject({ dnd: true, dndCode: 603, forwardBusy: 'carol', forwardAlways: '' });
  });

  it('sends trimmed targets, leaves empty ones and empty numbers out; the result is valid for the contract', () => {
    const fields = callHandlingFields({ ...defaultCallHandling(), forwardAlways: '  carol ', forwardNoAnswerSeconds: null });
    expect(fields).toMatchObject({ forwardAlways: 'carol' });
    expect(fields).not.toHaveProperty('forwardBusy');
    expect(fields).not.toHaveProperty('forwardNoAnswerSeconds');
    expect(AccountChanges.safeParse(fields).success).toBe(true);
  });

  it('removes a target emptied in the form (null), keeps one never set out of the changes', () => {
    const before = { ...defaultCallHandling(), forwardAlways: 'carol', forwardBusy: '' };
    const changes = callHandlingChanges(before, { ...before, forwardAlways: ' ' });
    expect(changes.forwardAlways).toBeNull();
    expect(changes).not.toHaveProperty('forwardBusy');
    expect(AccountChanges.safeParse(changes).success).toBe(true);
  });
});
