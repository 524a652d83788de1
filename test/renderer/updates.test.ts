import { describe, expect, it } from 'vitest';
import { AccountView, type CallView, type SipLogEntry } from '../../shared/model.js';
import { appendSipLog, applyAccountStatus, RecentIds, removeAccount, SIP_LOG_LIMIT, upsertAccount, upsertCall } from '../../renderer/src/lib/updates.js';

function account(id: string, state: AccountView['status']['state'] = 'unregistered'): AccountView {
  return AccountView.parse({
    id,
    user: id,
    domain: 'example.com',
    enabled: true,
    hasPassword: false,
    status: { accountId: id, state },
  });
}

function call(id: string, state: CallView['state']): CallView {
  return { id, accountId: 'a1', direction: 'outgoing', state, remote: { uri: `sip:${id}@example.com` }, startedAt: 1 };
}

describe('accounts', () => {
  it('take a registration state change for a known account', () => {
    const accounts = [account('a1'), account('a2')];
    const next = applyAccountStatus(accounts, { accountId: 'a2', state: 'failed', code: 403, reason: 'Forbidden' });
    expect(next?.map((a) => a.status.state)).toEqual(['unregistered', 'failed']);
    expect(accounts[1]?.status.state).toBe('unregistered');
  });

  it('report a state change for an account they do not have, so the list gets reloaded', () => {
    expect(applyAccountStatus([account('a1')], { accountId: 'zz', state: 'registered' })).toBeUndefined();
  });

  it('are added once, replaced on the same id, and removed by id', () => {
    let accounts = upsertAccount([], account('a1'));
    accounts = upsertAccount(accounts, account('a1', 'registered'));
    expect(accounts).toHaveLength(1);
    expect(accounts[0]?.status.state).toBe('registered');
    expect(removeAccount(accounts, 'a1')).toEqual([]);
  });
});

describe('calls', () => {
  it('alice calls bob, bob answers, alice hangs up: the list follows and then forgets the call', () => {
    let calls = upsertCall([], call('c1', 'calling'));
    calls = upsertCall(calls, call('c1', 'ringing'));
    calls = upsertCall(calls, call('c1', 'established'));
    expect(calls.map((c) => c.state)).toEqual(['established']);
    calls = upsertCall(calls, call('c1', 'terminated'));
    expect(calls).toEqual([]);
  });

  it('do not go back when a late result reports an earlier state than an event did', () => {
    const calls = upsertCall([call('c1', 'established')], call('c1', 'calling'));
    expect(calls.map((c) => c.state)).toEqual(['established']);
  });

  it('move between ringing and early media either way', () => {
    const calls = upsertCall([call('c1', 'early')], call('c1', 'ringing'));
    expect(calls.map((c) => c.state)).toEqual(['ringing']);
  });

  it('never list a terminated call they did not know', () => {
    expect(upsertCall([call('c1', 'calling')], call('c2', 'terminated')).map((c) => c.id)).toEqual(['c1']);
  });
});

describe('SIP log', () => {
  it(`keeps the last ${SIP_LOG_LIMIT} messages`, () => {
    let log: SipLogEntry[] = [];
    for (let seq = 0; seq < SIP_LOG_LIMIT + 20; seq++) {
      log = appendSipLog(log, {
        seq,
        at: seq,
        direction: 'in',
        transport: 'udp',
        local: '127.0.0.1:5060',
        remote: '127.0.0.1:5070',
        firstLine: 'OPTIONS sip:a@b SIP/2.0',
        text: '',
      });
    }
    expect(log).toHaveLength(SIP_LOG_LIMIT);
    expect(log[0]?.seq).toBe(20);
    expect(log.at(-1)?.seq).toBe(SIP_LOG_LIMIT + 19);
  });
});

describe('recent ids', () => {
  it('forget the oldest beyond their limit', () => {
    const ended = new RecentIds(2);
    ended.add('c1');
    ended.add('c2');
    ended.add('c3');
    expect([ended.has('c1'), ended.has('c2'), ended.has('c3')]).toEqual([false, true, true]);
  });
});
