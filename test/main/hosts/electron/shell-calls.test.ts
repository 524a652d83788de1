/**
 * Call flows through the desktop shell: alice runs the Electron host (fake electron, real core,
 * SIP on loopback), bob is a plain core calling her. What alice's shell does — notification,
 * tray, shortcuts, headset — is watched through the fakes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallView } from '../../../../shared/model.js';
import { silentLogger } from '../../../../main/core/log.js';
import { startElectronHost, type DesktopShell } from '../../../../main/hosts/electron/host.js';
import type { StartedCore } from '../../../../main/hosts/start-core.js';
import { accountFields } from '../../../helpers/account-fields.js';
import { testCore, udpPort } from '../../../helpers/core.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { Emitter, FakeBrowserWindow, FakeWebContents, FakeNotification, FakeTray, fakeElectron, preventable, type FakeElectron } from './fake-electron.js';
import { numberedHeadset } from './hid/descriptors.js';
import { fakeHid } from './hid/fake-hid.js';

const started: { core: StartedCore; shell: DesktopShell }[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map(async ({ core, shell }) => Promise.all([shell.headsets?.stop(), core.core.close()])));
});

async function aliceAndBob(options: { platform?: NodeJS.Platform; hid?: ReturnType<typeof fakeHid>; desktop?: Record<string, unknown> } = {}) {
  const bob = await testCore();
  const config = join(tempDir(), 'config.json');
  writeFileSync(config, JSON.stringify({ sip: { listen: [{ transport: 'udp', address: '127.0.0.1', port: 0 }] } }));
  const userData = tempDir();
  if (options.desktop !== undefined) writeFileSync(join(userData, 'desktop.json'), JSON.stringify(options.desktop));
  const fake = fakeElectron(userData);
  const host = startElectronHost(fake.module, ['--config', config, '--audio', 'null'], silentLogger, {
    platform: options.platform ?? 'linux',
    interfaces: () => ({}),
    loadHid: async () => options.hid?.hid,
    env: { XDG_CONFIG_HOME: tempDir() },
    processEvents: new Emitter() as never,
  });
  const alice = await host.ready;
  started.push({ core: alice.started, shell: alice.shell });
  const alicePort = udpPort(alice.started.core);
  await alice.started.bridge.invoke('accounts.add', { user: 'alice', domain: `127.0.0.1:${udpPort(bob.core)}`, register: false, srtp: 'off' });
  await bob.core.handlers['accounts.add'](accountFields({ user: 'bob', domain: `127.0.0.1:${alicePort}`, register: false, srtp: 'off' }));
  return { fake, shell: alice.shell, bob, tray: FakeTray.instances[0]!, window: alice.window };
}

/** Bob calls alice; resolves once alice's shell sees it ring. */
async function bobCalls(bob: Awaited<ReturnType<typeof testCore>>, shell: DesktopShell): Promise<CallView> {
  const call = await bob.core.handlers['calls.dial']({ target: 'alice' });
  await expect.poll(() => shell.calls.ringing, { timeout: 5000 }).toBeDefined();
  return call;
}

function shortcut(fake: FakeElectron, accelerator: string): void {
  const press = fake.shortcuts.get(accelerator);
  if (press === undefined) throw new Error(`no shortcut ${accelerator}`);
  press();
}

describe('desktop shell call flows', () => {
  it('macOS: bob calls, alice answers from the notification, hangs up with the shortcut', async () => {
    const { fake, shell, bob, tray } = await aliceAndBob({ platform: 'darwin' });
    await bobCalls(bob, shell);
    expect(tray.icon).toBe('ringing.png');
    const notification = FakeNotification.instances[0]!;
    expect(notification.options).toMatchObject({ title: 'Incoming call', body: expect.stringContaining('sip:bob@') });
    notification.emit('action', {}, 0);
    await expect.poll(() => shell.calls.active?.state, { timeout: 5000 }).toBe('established');
    expect(notification.closed).toBe(true);
    expect(tray.icon).toBe('in-call.png');

    shortcut(fake, 'CommandOrControl+Alt+Shift+H');
    await expect.poll(() => shell.calls.current.length, { timeout: 5000 }).toBe(0);
    await expect.poll(async () => (await bob.core.handlers['calls.list']({})).length, { timeout: 5000 }).toBe(0);
    expect(tray.icon).toBe('offline.png');
    expect(shell.calls.missed).toBe(0);
  });

  it('the incoming-call window option: a small frameless window on top while bob rings, trusted for the contract, closed when he gives up', async () => {
    const { fake, shell, bob, window } = await aliceAndBob({ desktop: { incomingCallWindow: true } });
    const call = await bobCalls(bob, shell);
    await expect.poll(() => FakeBrowserWindow.instances.length, { timeout: 3000 }).toBe(2);
    const popup = FakeBrowserWindow.instances[1]!;
    expect(popup.options).toMatchObject({ alwaysOnTop: true, frame: false, skipTaskbar: true, resizable: false, webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false } });
    expect(popup.loadedUrl).toBe('app://softphone/index.html#incoming');
    expect(popup.alwaysOnTop).toBe(true);
    // Its page speaks the contract like the main window's; another WebContents does not.
    const list = fake.ipcHandlers.get('phone:calls.list')!;
    const frame = (sender: unknown) => ({ sender, senderFrame: { url: 'app://softphone/index.html#incoming', parent: null } });
    expect(await list(frame(popup.webContents), {})).toMatchObject({ ok: true, result: [expect.objectContaining({ direction: 'incoming', state: 'incoming' })] });
    expect(await list(frame(new FakeWebContents()), {})).toMatchObject({ ok: false });
    expect(window).not.toBe(popup);
    await bob.core.handlers['calls.hangup']({ callId: call.id });
    await expect.poll(() => popup.destroyed, { timeout: 5000 }).toBe(true);
  });

  it('bob gives up before alice answers: the alert goes, the tray shows a missed call', async () => {
    const { fake, shell, bob, tray } = await aliceAndBob();
    const call = await bobCalls(bob, shell);
    const notification = FakeNotification.instances[0]!;
    expect(notification.options['actions']).toBeUndefined();
    await bob.core.handlers['calls.hangup']({ callId: call.id });
    await expect.poll(() => notification.closed, { timeout: 5000 }).toBe(true);
    expect(shell.calls.missed).toBe(1);
    expect(tray.icon).toBe('offline-missed.png');
    expect(fake.app.badge).toBe(1);
    expect(tray.menu.find((i) => i.label === 'Recent calls')?.submenu?.[0]?.label).toMatch(/^← /);
  });

  it('alice takes the call with her headset: off-hook answers, the lamp follows, mute toggles, on-hook hangs up', async () => {
    const hid = fakeHid([{ info: { path: '/dev/hidraw3', vendorId: 0x0b0e, productId: 0x2456, product: 'Headset', usagePage: 0x0b }, descriptor: numberedHeadset }]);
    const { shell, bob } = await aliceAndBob({ hid });
    await expect.poll(() => shell.headsets?.count, { timeout: 5000 }).toBe(1);
    const headset = hid.opened.get('/dev/hidraw3')!;
    await bobCalls(bob, shell);
    // Ring lamp (bit 1 of report 2).
    await expect.poll(() => headset.written.at(-1), { timeout: 5000 }).toEqual([2, 0b0010, 0]);

    headset.emit('data', Buffer.from([2, 0b1]));
    await expect.poll(() => shell.calls.active?.state, { timeout: 5000 }).toBe('established');
    await expect.poll(() => headset.written.at(-1), { timeout: 5000 }).toEqual([2, 0b0001, 0]);

    headset.emit('data', Buffer.from([2, 0b101]));
    headset.emit('data', Buffer.from([2, 0b001]));
    await expect.poll(() => shell.calls.active?.muted, { timeout: 5000 }).toBe(true);
    await expect.poll(() => headset.written.at(-1), { timeout: 5000 }).toEqual([2, 0b0101, 0]);

    headset.emit('data', Buffer.from([2, 0b0]));
    await expect.poll(() => shell.calls.current.length, { timeout: 5000 }).toBe(0);
    await expect.poll(() => headset.written.at(-1), { timeout: 5000 }).toEqual([2, 0, 0]);
  });

  it('alice quits during a call: bob gets a BYE before the app goes', async () => {
    const { fake, shell, bob } = await aliceAndBob();
    await bobCalls(bob, shell);
    shortcut(fake, 'CommandOrControl+Alt+Shift+A');
    await expect.poll(() => shell.calls.active?.state, { timeout: 5000 }).toBe('established');
    fake.app.emit('before-quit', preventable());
    const willQuit = preventable();
    fake.app.emit('will-quit', willQuit);
    expect(willQuit.prevented).toBe(true);
    await shell.closed;
    expect(fake.app.quitCalls).toBe(1);
    const ended = (await bob.core.handlers['calls.list']({})).length === 0;
    await expect.poll(async () => (await bob.core.handlers['calls.list']({})).length, { timeout: 5000 }).toBe(0);
    expect(ended).toBe(true);
  });
});
