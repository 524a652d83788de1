import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CallTracker, isMissed } from '../../../../main/hosts/electron/call-tracker.js';
import { TrayController, trayIconFile, trayIconNames, trayLook, type TrayMenuHandlers } from '../../../../main/hosts/electron/tray.js';
import { account, ended, incomingCall, outgoingCall } from './calls-fixtures.js';
import { FakeTray, fakeElectron } from './fake-electron.js';

const trayDir = join(import.meta.dirname, '..', '..', '..', '..', 'assets', 'tray');

function handlers(): TrayMenuHandlers & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    open: () => calls.push('open'),
    setPresence: (status) => calls.push(`presence ${status}`),
    callBack: (uri) => calls.push(`call ${uri}`),
    setStartAtLogin: (on) => calls.push(`login ${on}`),
    setStartHidden: (on) => calls.push(`hidden ${on}`),
    quit: () => calls.push('quit'),
  };
}

describe('CallTracker', () => {
  it('counts an incoming call the caller gave up on as missed, not one declined here or answered elsewhere', () => {
    const tracker = new CallTracker();
    const cancelled = incomingCall();
    const declined = incomingCall();
    const elsewhere = incomingCall();
    const answered = incomingCall();
    for (const call of [cancelled, declined, elsewhere, answered]) tracker.event('call.incoming', call);
    tracker.event('call.state', { ...answered, state: 'established', answeredAt: answered.startedAt + 1000 });
    tracker.event('call.state', ended(cancelled, 'remote'));
    tracker.event('call.state', ended(declined, 'local', 'Decline'));
    tracker.event('call.state', ended(elsewhere, 'remote', 'Call completed elsewhere'));
    tracker.event('call.state', ended({ ...answered, answeredAt: answered.startedAt + 1000 }, 'remote', 'BYE'));
    expect(isMissed(ended(cancelled, 'remote'))).toBe(true);
    expect(isMissed(ended(declined, 'local', 'Decline'))).toBe(false);
    expect(isMissed(ended(elsewhere, 'remote', 'Call completed elsewhere'))).toBe(false);
    expect(isMissed(ended({ ...answered, answeredAt: answered.startedAt + 1000 }, 'remote', 'BYE'))).toBe(false);
    expect(isMissed(ended(outgoingCall(), 'remote'))).toBe(false);
    // The count is the core's (its history's `history.missed`), stored across restarts.
    tracker.event('history.missed', { count: 1 });
    expect(tracker.missed).toBe(1);
    expect(tracker.recent.map((c) => c.id)).toEqual([answered.id, elsewhere.id, declined.id, cancelled.id]);
    expect(tracker.current).toEqual([]);
    tracker.clearMissed();
    expect(tracker.missed).toBe(0);
  });

  it('tells the ringing call from the active one, held calls last', () => {
    const tracker = new CallTracker();
    const held = outgoingCall({ state: 'established', held: true });
    const talking = outgoingCall({ state: 'established' });
    const ringing = incomingCall({ waiting: true });
    for (const call of [held, talking, ringing]) tracker.event('call.state', call);
    expect(tracker.ringing?.id).toBe(ringing.id);
    expect(tracker.active?.id).toBe(talking.id);
    tracker.event('call.state', ended(talking, 'local'));
    expect(tracker.active?.id).toBe(held.id);
  });

  it('keeps the last five ended calls, newest first, and ignores an end it never saw begin', () => {
    const tracker = new CallTracker();
    const calls = Array.from({ length: 7 }, () => outgoingCall());
    for (const call of calls) {
      tracker.event('call.state', call);
      tracker.event('call.state', ended(call, 'local'));
    }
    tracker.event('call.state', ended(outgoingCall(), 'local'));
    expect(tracker.recent.map((c) => c.id)).toEqual(calls.slice(2).reverse().map((c) => c.id));
  });
});

describe('tray look', () => {
  const look = (setup: (t: CallTracker) => void) => {
    const tracker = new CallTracker();
    setup(tracker);
    return trayLook(tracker, 'Softphone');
  };

  it.each([
    ['no account', () => {}, 'offline'],
    ['registration failed', (t: CallTracker) => t.seedAccounts([account('failed')]), 'offline'],
    ['one of two registered', (t: CallTracker) => t.seedAccounts([account('failed'), account('registered', 'a2')]), 'registered'],
    [
      'Do Not Disturb',
      (t: CallTracker) => {
        t.seedAccounts([account('registered')]);
        t.event('presence.own', { status: 'dnd', effective: 'dnd' });
      },
      'dnd',
    ],
    [
      'in a call, over DND',
      (t: CallTracker) => {
        t.event('presence.own', { status: 'dnd', effective: 'dnd' });
        t.event('call.state', outgoingCall({ state: 'established' }));
      },
      'in-call',
    ],
    [
      'ringing, over a call in progress',
      (t: CallTracker) => {
        t.event('call.state', outgoingCall({ state: 'established' }));
        t.event('call.incoming', incomingCall());
      },
      'ringing',
    ],
  ])('%s → %s', (_name, setup, icon) => {
    expect(look(setup).icon).toBe(icon);
  });

  it('marks missed calls on the icon and in the tooltip', () => {
    const result = look((t) => {
      t.seedAccounts([account('registered')]);
      const call = incomingCall();
      t.event('call.incoming', call);
      t.event('call.state', ended(call, 'remote'));
      t.event('history.missed', { count: 1 });
    });
    expect(trayIconFile(result)).toBe('registered-missed.png');
    expect(result.tooltip).toBe('Softphone\nRegistered (1 of 1)\n1 missed call');
  });

  it('has an icon file, and a HiDPI one, for every state', () => {
    for (const icon of trayIconNames) {
      for (const missed of [0, 1]) {
        const file = trayIconFile({ icon, missed });
        expect(existsSync(join(trayDir, file)), file).toBe(true);
        expect(existsSync(join(trayDir, file.replace('.png', '@2x.png'))), file).toBe(true);
      }
    }
  });
});

describe('TrayController (fake electron)', () => {
  function setup() {
    const fake = fakeElectron('/nonexistent');
    const tracker = new CallTracker();
    const h = handlers();
    const settings = { startAtLogin: false, startHidden: false };
    const controller = new TrayController(fake.module, trayDir, tracker, () => settings, h, 'Softphone');
    return { fake, tracker, h, controller, settings, tray: FakeTray.instances[0]! };
  }

  it('follows registration, calls and missed calls, with the badge count', () => {
    const { fake, tracker, tray } = setup();
    expect(tray.icon).toBe('offline.png');
    tracker.event('account.state', account('registered'));
    expect(tray.icon).toBe('registered.png');
    const call = incomingCall({ remote: { uri: 'sip:carol@example.com' } });
    tracker.event('call.incoming', call);
    expect(tray.icon).toBe('ringing.png');
    expect(tray.tooltip).toContain('Incoming call from sip:carol@example.com');
    tracker.event('call.state', ended(call, 'remote'));
    tracker.event('history.missed', { count: 1 });
    expect(tray.icon).toBe('registered-missed.png');
    expect(fake.app.badge).toBe(1);
    tracker.clearMissed();
    expect(tray.icon).toBe('registered.png');
    expect(fake.app.badge).toBe(0);
  });

  it('sets presence, calls back, opens and quits from the menu', () => {
    const { tracker, tray, h } = setup();
    tracker.event('presence.own', { status: 'away', effective: 'away' });
    const radios = tray.menu.filter((i) => i.type === 'radio');
    expect(radios.map((i) => [i.label, i.checked])).toEqual([
      ['Available', false],
      ['Away', true],
      ['Do not disturb', false],
    ]);
    tray.click('Do not disturb');
    const call = outgoingCall({ remote: { uri: 'sip:dave@example.com', displayName: 'Dave & Co' } });
    tracker.event('call.state', call);
    tracker.event('call.state', ended(call, 'local'));
    tray.click('→ Dave && Co');
    tray.click('Start at login');
    tray.click('Open');
    tray.click('Quit');
    tray.emit('click');
    expect(h.calls).toEqual(['presence dnd', 'call sip:dave@example.com', 'login true', 'open', 'quit', 'open']);
  });

  it('rebuilds the menu only when what it shows changed', () => {
    const { tracker, tray } = setup();
    const spy = vi.spyOn(tray, 'setContextMenu');
    tracker.event('account.state', account('registering'));
    tracker.event('account.state', account('registered'));
    expect(spy).not.toHaveBeenCalled();
    tracker.event('presence.own', { status: 'dnd', effective: 'dnd' });
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('is destroyed and stops following the tracker', () => {
    const { tracker, tray, controller } = setup();
    controller.destroy();
    expect(tray.destroyed).toBe(true);
    tracker.event('account.state', account('registered'));
    expect(tray.icon).toBe('offline.png');
  });
});
