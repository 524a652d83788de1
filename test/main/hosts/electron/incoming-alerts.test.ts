import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../../main/core/log.js';
import { IncomingAlerts, notificationOptions } from '../../../../main/hosts/electron/incoming-alerts.js';
import { ended, incomingCall, outgoingCall } from './calls-fixtures.js';
import { FakeNotification, fakeElectron } from './fake-electron.js';

function setup(platform: NodeJS.Platform, settings = { notifications: true, incomingCallWindow: false }) {
  const fake = fakeElectron('/nonexistent');
  const done: string[] = [];
  const alerts = new IncomingAlerts({
    Notification: fake.module.Notification,
    platform,
    answer: (id) => done.push(`answer ${id}`),
    decline: (id) => done.push(`decline ${id}`),
    focus: () => done.push('focus'),
    ringingWindow: (on) => done.push(`window ${on}`),
    settings: () => settings,
    appName: 'Softphone',
    log: silentLogger,
  });
  return { alerts, done, settings };
}

describe('incoming call alerts', () => {
  it('macOS: Answer and Decline buttons act on the call', () => {
    const { alerts, done } = setup('darwin');
    const call = incomingCall();
    alerts.call(call);
    const notification = FakeNotification.instances[0]!;
    expect(notification.shown).toBe(true);
    expect(notification.options).toMatchObject({ title: 'Incoming call', body: 'Bob\nsip:bob@example.com', silent: true, actions: [{ text: 'Answer' }, { text: 'Decline' }] });
    notification.emit('action', {}, 0);
    notification.emit('action', {}, 1);
    notification.emit('click', {});
    expect(done).toEqual([`answer ${call.id}`, `decline ${call.id}`, 'focus']);
  });

  it('Windows and Linux: no buttons (Electron cannot deliver them), a click brings the window', () => {
    for (const platform of ['win32', 'linux'] as const) {
      const options = notificationOptions(incomingCall({ remote: { uri: 'sip:eve@example.com' } }), platform, 'Softphone');
      expect(options.actions).toBeUndefined();
      expect(options.body).toBe('sip:eve@example.com');
    }
  });

  it.each([
    ['answered here', (c: ReturnType<typeof incomingCall>) => ({ ...c, state: 'connecting' as const })],
    ['answered on another device', (c: ReturnType<typeof incomingCall>) => ended(c, 'remote', 'Call completed elsewhere')],
    ['cancelled by the caller', (c: ReturnType<typeof incomingCall>) => ended(c, 'remote')],
    ['declined', (c: ReturnType<typeof incomingCall>) => ended(c, 'local', 'Decline')],
  ])('the notification goes when the call is %s', (_name, next) => {
    const { alerts } = setup('darwin');
    const call = incomingCall();
    alerts.call(call);
    alerts.call(call);
    expect(FakeNotification.instances).toHaveLength(1);
    alerts.call(next(call));
    expect(FakeNotification.instances[0]!.closed).toBe(true);
  });

  it('brings the window forward while any call rings, and lets it go after the last', () => {
    const { alerts, done } = setup('linux', { notifications: false, incomingCallWindow: true });
    const first = incomingCall();
    const second = incomingCall();
    alerts.call(first);
    alerts.call(second);
    alerts.call(ended(first, 'remote'));
    expect(done).toEqual(['window true']);
    alerts.call(ended(second, 'remote'));
    expect(done).toEqual(['window true', 'window false']);
    expect(FakeNotification.instances).toHaveLength(0);
  });

  it('ignores outgoing calls, and shows nothing where notifications are unsupported', () => {
    const { alerts } = setup('linux');
    alerts.call(outgoingCall());
    FakeNotification.supported = false;
    alerts.call(incomingCall());
    expect(FakeNotification.instances).toHaveLength(0);
  });

  it('clears everything on quit', () => {
    const { alerts, done } = setup('darwin', { notifications: true, incomingCallWindow: true });
    alerts.call(incomingCall());
    alerts.clear();
    expect(FakeNotification.instances[0]!.closed).toBe(true);
    expect(done).toEqual(['window true', 'window false']);
  });
});
