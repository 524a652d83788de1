import { describe, expect, it } from 'vitest';
import { AccountView, type CallView } from '../../shared/model.js';
import { activeCall, autoAnswerText, callActions, callBadges, callHandlingText, callStateText, formatDuration, partyName, summarizeRegistration, transferText } from '../../renderer/src/lib/format.js';

function account(user: string, status: Omit<AccountView['status'], 'accountId'>, enabled = true): AccountView {
  return AccountView.parse({
    id: user,
    user,
    domain: 'example.com',
    enabled,
    hasPassword: true,
    status: { accountId: user, ...status },
  });
}

describe('registration summary in the header', () => {
  it('says so when there is no account', () => {
    expect(summarizeRegistration([])).toEqual({ tone: 'none', text: 'No account' });
  });

  it('names the one registered account', () => {
    expect(summarizeRegistration([account('alice', { state: 'registered' })])).toEqual({
      tone: 'ok',
      text: 'Registered as alice@example.com',
    });
  });

  it('shows a failure with its SIP code and reason, even when another account is registered', () => {
    const summary = summarizeRegistration([account('alice', { state: 'registered' }), account('bob', { state: 'failed', code: 403, reason: 'Forbidden' })]);
    expect(summary).toEqual({ tone: 'error', text: 'bob@example.com: Registration failed: 403 Forbidden' });
  });

  it('shows work in progress before success', () => {
    expect(summarizeRegistration([account('alice', { state: 'registered' }), account('bob', { state: 'registering' })]).tone).toBe('busy');
  });

  it('ignores disabled accounts', () => {
    expect(summarizeRegistration([account('alice', { state: 'failed' }, false)])).toEqual({ tone: 'off', text: 'Not registered' });
  });
});

describe('calls as shown', () => {
  const base: CallView = { id: 'c1', accountId: 'a1', direction: 'incoming', state: 'incoming', remote: { uri: 'sip:bob@example.com' }, startedAt: 0 };

  it('offer answer and decline while ringing in, cancel while ringing out, hang up once connected', () => {
    expect(callActions(base)).toEqual({ answer: true, reject: true, hangup: undefined });
    expect(callActions({ ...base, direction: 'outgoing', state: 'ringing' }).hangup).toBe('Cancel');
    expect(callActions({ ...base, state: 'established' }).hangup).toBe('Hang up');
    expect(callActions({ ...base, state: 'terminating' })).toEqual({ answer: false, reject: false, hangup: undefined });
  });

  it('say why a call ended', () => {
    expect(callStateText({ ...base, state: 'terminated', end: { by: 'remote', code: 486, reason: 'Busy Here' } })).toBe('Ended: 486 Busy Here');
  });

  it('name the remote party by display name, else by URI', () => {
    expect(partyName({ uri: 'sip:bob@example.com', displayName: 'Bob' })).toBe('Bob');
    expect(partyName({ uri: 'sip:bob@example.com', displayName: '  ' })).toBe('sip:bob@example.com');
  });

  it.each([
    [0, '0:00'],
    [59_999, '0:59'],
    [61_000, '1:01'],
    [3_600_000 + 5_000, '1:00:05'],
    [-5, '0:00'],
  ])('time %d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('call feature texts', () => {
  const call = (extra: Partial<CallView>): CallView =>
    ({ id: 'c1', accountId: 'a', direction: 'outgoing', state: 'established', remote: { uri: 'sip:bob@x' }, startedAt: 0, ...extra }) as CallView;

  it('badges say what is special about a call, in a fixed order', () => {
    expect(callBadges(call({}))).toEqual([]);
    expect(callBadges(call({ held: true, muted: true, conference: true, recording: true, remoteHeld: true, waiting: true, reconnecting: true })).map((b) => b.text)).toEqual([
      'Reconnecting…',
      'Waiting',
      'On hold',
      'Holding you',
      'Conference',
      'Recording',
      'Muted',
    ]);
  });

  it.each([
    [{ kind: 'blind', target: 'sip:carol@x', state: 'trying' }, 'Transferring to sip:carol@x…'],
    [{ kind: 'blind', target: 'sip:carol@x', state: 'ringing' }, 'Transfer to sip:carol@x: ringing…'],
    [{ kind: 'attended', target: 'sip:carol@x', state: 'succeeded' }, 'Transferred to sip:carol@x'],
    [{ kind: 'blind', target: 'sip:carol@x', state: 'failed', code: 404, reason: 'Not Found' }, 'Transfer to sip:carol@x failed: 404 Not Found'],
    [{ kind: 'blind', target: 'sip:carol@x', state: 'failed' }, 'Transfer to sip:carol@x failed'],
  ] as const)('transfer %j reads %s', (transfer, text) => {
    expect(transferText(transfer)).toBe(text);
  });

  it('counts auto-answer down in whole seconds, never below zero', () => {
    expect(autoAnswerText(5000, 1000)).toBe('Answering automatically in 4 s');
    expect(autoAnswerText(5000, 4500)).toBe('Answering automatically in 1 s');
    expect(autoAnswerText(5000, 9000)).toBe('Answering automatically…');
  });

  it('the active call is the established one not held', () => {
    const a = call({ id: 'a', held: true });
    const b = call({ id: 'b' });
    const c = call({ id: 'c', state: 'ringing' });
    expect(activeCall([a, b, c])?.id).toBe('b');
    expect(activeCall([a, b, c], b)).toBeUndefined();
  });

  it('describes how an account handles calls', () => {
    const acc = AccountView.parse({
      id: 'a',
      user: 'eve',
      domain: 'x',
      hasPassword: false,
      status: { accountId: 'a', state: 'registered' },
      dnd: true,
      dndCode: 603,
      forwardNoAnswer: 'carol',
      forwardNoAnswerSeconds: 15,
      autoAnswer: 'intercom',
      autoAnswerDelaySeconds: 2,
      transferPolicy: 'ask',
      musicOnHold: true,
      codecs: ['PCMA', 'G722'],
    });
    expect(callHandlingText(acc)).toEqual([
      'Do Not Disturb (603 Decline)',
      'unanswered after 15 s to carol',
      'answers intercom calls after 2 s',
      'asks before being transferred',
      'music on hold',
      'codecs PCMA, G722',
    ]);
  });
});
