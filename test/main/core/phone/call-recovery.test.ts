/**
 * When calls recover after a network change: after the registration settles (bounded), at once
 * without one, early calls once confirmed, one refresh per call for changes in quick succession.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallRecovery, REGISTRATION_WAIT_MS, type RecoveringCall } from '../../../../main/core/phone/call-recovery.js';
import { silentLogger } from '../../../../main/core/log.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A recovery whose refreshes wait until the test settles them. */
function setup(registration: Record<string, string | undefined> = {}) {
  const refreshes: { callId: string; done: () => void; fail: (error: Error) => void }[] = [];
  const shown: [string, boolean][] = [];
  const recovery = new CallRecovery(
    {
      registrationState: (accountId) => registration[accountId],
      refresh: (callId) =>
        new Promise<void>((resolve, reject) => {
          refreshes.push({ callId, done: resolve, fail: reject });
        }),
      reconnecting: (callId, on) => shown.push([callId, on]),
    },
    silentLogger,
  );
  return { recovery, refreshes, shown, registration };
}

const call = (id: string, accountId = 'a1', confirmed = true): RecoveringCall => ({ id, accountId, confirmed });
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('call recovery after a network change', () => {
  it('without a registration in progress: at once, shown reconnecting until the refresh is over', async () => {
    const { recovery, refreshes, shown } = setup({ a1: 'registered' });
    recovery.networkChanged([call('c1')]);
    expect(refreshes.map((r) => r.callId)).toEqual(['c1']);
    expect(shown).toEqual([['c1', true]]);
    refreshes[0]!.done();
    await settle();
    expect(shown).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
    expect(recovery.has('c1')).toBe(false);
  });

  it('an account that does not register: at once', () => {
    const { recovery, refreshes } = setup({});
    recovery.networkChanged([call('c1', 'none')]);
    expect(refreshes).toHaveLength(1);
  });

  it.each(['registered', 'failed'])('waits for the registration to settle (%s), then refreshes', async (state) => {
    const { recovery, refreshes, shown } = setup({ a1: 'registering' });
    recovery.networkChanged([call('c1'), call('c2'), call('other', 'a2')]);
    expect(shown.map(([id]) => id)).toEqual(['c1', 'c2', 'other']);
    expect(refreshes.map((r) => r.callId)).toEqual(['other']);
    recovery.registrationChanged('a1', 'registering');
    recovery.registrationChanged('a2', state);
    expect(refreshes).toHaveLength(1);
    recovery.registrationChanged('a1', state);
    expect(refreshes.map((r) => r.callId)).toEqual(['other', 'c1', 'c2']);
    // The bound's timer is gone: nothing more when it would have fired.
    await vi.advanceTimersByTimeAsync(REGISTRATION_WAIT_MS * 2);
    expect(refreshes).toHaveLength(3);
  });

  it('a registration that does not settle is waited for at most the bound', async () => {
    const { recovery, refreshes } = setup({ a1: 'registering' });
    recovery.networkChanged([call('c1')]);
    await vi.advanceTimersByTimeAsync(REGISTRATION_WAIT_MS - 1);
    expect(refreshes).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(refreshes.map((r) => r.callId)).toEqual(['c1']);
  });

  it('changes in quick succession while waiting make one refresh per call', async () => {
    const { recovery, refreshes, shown } = setup({ a1: 'registering' });
    recovery.networkChanged([call('c1')]);
    recovery.networkChanged([call('c1')]);
    recovery.networkChanged([call('c1')]);
    recovery.registrationChanged('a1', 'registered');
    recovery.registrationChanged('a1', 'registered');
    expect(refreshes).toHaveLength(1);
    expect(shown).toEqual([['c1', true]]);
    refreshes[0]!.done();
    await settle();
    await vi.advanceTimersByTimeAsync(REGISTRATION_WAIT_MS);
    expect(refreshes).toHaveLength(1);
  });

  it('a change while the re-INVITE is on the wire brings exactly one more refresh after it', async () => {
    const { recovery, refreshes, shown, registration } = setup({ a1: 'registered' });
    recovery.networkChanged([call('c1')]);
    registration['a1'] = 'registering';
    recovery.networkChanged([call('c1')]);
    recovery.networkChanged([call('c1')]);
    expect(refreshes).toHaveLength(1);
    refreshes[0]!.done();
    await settle();
    // Still reconnecting; the second waits for the registration the second change restarted.
    expect(shown).toEqual([['c1', true]]);
    expect(refreshes).toHaveLength(1);
    recovery.registrationChanged('a1', 'registered');
    expect(refreshes).toHaveLength(2);
    refreshes[1]!.done();
    await settle();
    expect(shown).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
  });

  it('an early call is left alone, and refreshed once it is confirmed', async () => {
    const { recovery, refreshes, shown } = setup({ a1: 'registered' });
    recovery.networkChanged([call('early', 'a1', false)]);
    expect(refreshes).toHaveLength(0);
    expect(shown).toEqual([]);
    expect(recovery.has('early')).toBe(true);
    recovery.networkChanged([call('early', 'a1', false)]);
    recovery.confirmed('early');
    recovery.confirmed('early');
    expect(refreshes.map((r) => r.callId)).toEqual(['early']);
    expect(shown).toEqual([['early', true]]);
    recovery.confirmed('never-deferred');
    expect(refreshes).toHaveLength(1);
  });

  it('a call that ends while waiting is forgotten: no refresh, no flag', async () => {
    const { recovery, refreshes, shown } = setup({ a1: 'registering' });
    recovery.networkChanged([call('c1'), call('early', 'a1', false)]);
    recovery.ended('c1');
    recovery.ended('early');
    recovery.registrationChanged('a1', 'registered');
    await vi.advanceTimersByTimeAsync(REGISTRATION_WAIT_MS);
    recovery.confirmed('early');
    expect(refreshes).toHaveLength(0);
    expect(shown).toEqual([['c1', true]]);
  });

  it('a call that ends during its refresh is not flagged again afterwards', async () => {
    const { recovery, refreshes, shown } = setup({});
    recovery.networkChanged([call('c1')]);
    recovery.ended('c1');
    refreshes[0]!.done();
    await settle();
    expect(shown).toEqual([['c1', true]]);
  });

  it('a refresh that throws is logged; the call stops showing reconnecting', async () => {
    const warn = vi.fn();
    const refreshes: (() => void)[] = [];
    const shown: boolean[] = [];
    const recovery = new CallRecovery(
      {
        registrationState: () => undefined,
        refresh: () =>
          new Promise((_resolve, reject) => {
            refreshes.push(() => reject(new Error('no route')));
          }),
        reconnecting: (_id, on) => shown.push(on),
      },
      { ...silentLogger, warn },
    );
    recovery.networkChanged([call('c1')]);
    refreshes[0]!();
    await settle();
    expect(warn).toHaveBeenCalledWith('call not reconnected after a network change', { callId: 'c1', error: 'Error: no route' });
    expect(shown).toEqual([true, false]);
  });

  it('close() drops every timer', async () => {
    const { recovery, refreshes } = setup({ a1: 'registering' });
    recovery.networkChanged([call('c1')]);
    recovery.close();
    await vi.advanceTimersByTimeAsync(REGISTRATION_WAIT_MS);
    expect(refreshes).toHaveLength(0);
    expect(recovery.has('c1')).toBe(false);
  });
});
