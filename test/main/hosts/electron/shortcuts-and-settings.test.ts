import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger, type Logger } from '../../../../main/core/log.js';
import { isGlobalAccelerator } from '../../../../main/hosts/electron/accelerator.js';
import { CallActions } from '../../../../main/hosts/electron/call-actions.js';
import { CallTracker } from '../../../../main/hosts/electron/call-tracker.js';
import { DesktopSettingsFile } from '../../../../main/hosts/electron/desktop-settings.js';
import { GlobalShortcuts } from '../../../../main/hosts/electron/global-shortcuts.js';
import { applyLoginItem, autostartEntry, autostartFile, startsHidden } from '../../../../main/hosts/electron/login-item.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { incomingCall, outgoingCall } from './calls-fixtures.js';
import { fakeElectron } from './fake-electron.js';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (message: string) => void lines.push(message);
  return { lines, debug: at, info: at, warn: at, error: at };
}

describe('accelerators', () => {
  it.each([
    ['CommandOrControl+Alt+Shift+A', true],
    ['Ctrl+Shift+F5', true],
    ['Alt+Space', true],
    ['F13', true],
    ['MediaPlayPause', true],
    ['Shift+/', true],
    ['A', false],
    ['F5', false],
    ['Ctrl+Ctrl+A', false],
    ['Hyper+A', false],
    ['Ctrl+', false],
    ['Ctrl+F25', false],
    ['', false],
  ])('%s → %s', (accelerator, ok) => {
    expect(isGlobalAccelerator(accelerator)).toBe(ok);
  });
});

describe('global shortcuts', () => {
  it('registers the configured ones, reports one another application holds, and removes only its own', () => {
    const fake = fakeElectron('/nonexistent');
    fake.takenShortcuts.add('Ctrl+Alt+M');
    fake.shortcuts.set('Ctrl+Alt+X', () => {});
    const pressed: string[] = [];
    const shortcuts = new GlobalShortcuts(
      fake.module.globalShortcut,
      { answer: () => pressed.push('answer'), hangup: () => pressed.push('hangup'), mute: () => pressed.push('mute') },
      silentLogger,
    );
    const report = shortcuts.apply({ answer: 'Ctrl+Alt+A', hangup: null, mute: 'Ctrl+Alt+M' });
    expect(report).toEqual({ registered: ['answer'], failed: ['mute'] });
    fake.shortcuts.get('Ctrl+Alt+A')!();
    expect(pressed).toEqual(['answer']);
    shortcuts.apply({ answer: 'Ctrl+Alt+B', hangup: 'Ctrl+Alt+H', mute: null });
    expect([...fake.shortcuts.keys()].sort()).toEqual(['Ctrl+Alt+B', 'Ctrl+Alt+H', 'Ctrl+Alt+X']);
    shortcuts.clear();
    expect([...fake.shortcuts.keys()]).toEqual(['Ctrl+Alt+X']);
  });
});

describe('call actions (shortcuts, headset, notifications)', () => {
  function setup() {
    const tracker = new CallTracker();
    const sent: unknown[] = [];
    const actions = new CallActions(tracker, async (method, params) => void sent.push([method, params]));
    return { tracker, sent, actions };
  }

  it('answers the ringing call, hangs up the active one, toggles its mute', async () => {
    const { tracker, sent, actions } = setup();
    await actions.answer();
    await actions.toggleMute();
    expect(sent).toEqual([]);
    const ringing = incomingCall();
    tracker.event('call.incoming', ringing);
    await actions.answer();
    const talking = outgoingCall({ state: 'established', muted: true });
    tracker.event('call.state', talking);
    await actions.toggleMute();
    await actions.setMute(true);
    await actions.hangup();
    expect(sent).toEqual([
      ['calls.answer', { callId: ringing.id }],
      ['calls.mute', { callId: talking.id, muted: false }],
      ['calls.hangup', { callId: talking.id }],
    ]);
  });

  it('hang up with only a ringing call declines it (603)', async () => {
    const { tracker, sent, actions } = setup();
    const ringing = incomingCall();
    tracker.event('call.incoming', ringing);
    await actions.hangup();
    expect(sent).toEqual([['calls.reject', { callId: ringing.id, code: 603 }]]);
  });
});

describe('desktop settings file', () => {
  it('gives defaults (confirmation on), keeps changes in a 0600 file, and survives a broken file', () => {
    const dir = tempDir();
    const settings = new DesktopSettingsFile(dir, silentLogger);
    expect(settings.value).toMatchObject({ confirmCallLinks: true, closeToTray: true, startAtLogin: false, shortcuts: { answer: 'CommandOrControl+Alt+Shift+A' } });
    settings.update({ startAtLogin: true });
    const file = join(dir, 'desktop.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(new DesktopSettingsFile(dir, silentLogger).value.startAtLogin).toBe(true);

    writeFileSync(file, JSON.stringify({ confirmCallLinks: 'no', shortcuts: { answer: 'A' } }));
    const log = recordingLogger();
    expect(new DesktopSettingsFile(dir, log).value.confirmCallLinks).toBe(true);
    expect(log.lines.join('\n')).toMatch(/confirmCallLinks.*shortcuts\.answer: not a usable global shortcut/s);
    writeFileSync(file, '{');
    expect(new DesktopSettingsFile(dir, log).value.startAtLogin).toBe(false);
  });
});

describe('start at login', () => {
  it('Windows and macOS: the login item starts the app hidden', () => {
    const fake = fakeElectron('/nonexistent');
    applyLoginItem(fake.module.app, 'Softphone', true, { platform: 'win32', execPath: 'C:\\Softphone\\Softphone.exe', args: [], env: {} });
    expect(fake.app.loginItems).toEqual([{ openAtLogin: true, path: 'C:\\Softphone\\Softphone.exe', args: ['--hidden'] }]);
  });

  it('Linux: an XDG autostart entry, for the AppImage when run from one, removed when switched off', () => {
    const fake = fakeElectron('/nonexistent');
    const home = tempDir();
    const env = { XDG_CONFIG_HOME: join(home, 'config'), APPIMAGE: '/home/me/Apps/Softphone 1.0.AppImage' };
    applyLoginItem(fake.module.app, 'Softphone', true, { platform: 'linux', execPath: '/tmp/.mount_x/softphone', args: [], env });
    const file = autostartFile('Softphone', env);
    expect(file).toBe(join(home, 'config', 'autostart', 'softphone.desktop'));
    expect(readFileSync(file, 'utf8')).toContain('Exec="/home/me/Apps/Softphone 1.0.AppImage" --hidden\n');
    applyLoginItem(fake.module.app, 'Softphone', false, { platform: 'linux', execPath: '/x', args: [], env });
    expect(existsSync(file)).toBe(false);
    expect(fake.app.loginItems).toEqual([]);
  });

  it('quotes Exec arguments and escapes % as the Desktop Entry spec says', () => {
    expect(autostartEntry('Softphone', { platform: 'linux', execPath: '/opt/a$b/electron', args: ['/src/100%'], env: {} })).toContain(
      'Exec="/opt/a\\$b/electron" /src/100%% --hidden',
    );
  });

  it('starts hidden with --hidden, the setting, or a macOS login launch', () => {
    const fake = fakeElectron('/nonexistent');
    expect(startsHidden([], fake.module.app, 'linux', false)).toBe(false);
    expect(startsHidden(['--hidden'], fake.module.app, 'linux', false)).toBe(true);
    expect(startsHidden([], fake.module.app, 'win32', true)).toBe(true);
    const atLogin = { getLoginItemSettings: () => ({ wasOpenedAtLogin: true }) } as never;
    expect(startsHidden([], atLogin, 'darwin', false)).toBe(true);
    expect(startsHidden([], atLogin, 'win32', false)).toBe(false);
  });
});
