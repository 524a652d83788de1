import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { methodNames } from '../../../../shared/contract.js';
import { silentLogger, type Logger } from '../../../../main/core/log.js';
import type { StartedCore } from '../../../../main/hosts/start-core.js';
import { startElectronHost, type DesktopShell, type HostEnvironment } from '../../../../main/hosts/electron/host.js';
import { forwardEvent } from '../../../../main/hosts/electron/ipc.js';
import { SafeStorageSecretStore, chooseSecretStore } from '../../../../main/hosts/electron/secret-store.js';
import { PhoneError } from '../../../../shared/errors.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { Emitter, FakeBrowserWindow, FakeTray, FakeWebContents, fakeElectron, preventable, type FakeElectron } from './fake-electron.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const cores: StartedCore[] = [];
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.core.close()));
  crashEvents.listeners.clear();
});

/** Stands for `process` in the crash guard: the test runner's own handlers stay untouched. */
const crashEvents = new Emitter();

/** No headset library, no network interfaces, autostart entries in a temporary folder. */
function testEnvironment(): Partial<HostEnvironment> {
  return {
    platform: 'linux',
    loadHid: async () => undefined,
    interfaces: () => ({}),
    quitTimeoutMs: 3000,
    env: { XDG_CONFIG_HOME: tempDir() },
    processEvents: crashEvents as never,
  };
}

async function started(
  argv: string[] = [],
  setup: (fake: FakeElectron) => void = () => {},
  log: Logger = silentLogger,
): Promise<{ fake: FakeElectron; win: FakeBrowserWindow; shell: DesktopShell; core: StartedCore }> {
  const fake = fakeElectron(tempDir());
  setup(fake);
  const host = startElectronHost(fake.module, argv, log, testEnvironment());
  expect(host.primary).toBe(true);
  const { started, shell } = await host.ready;
  cores.push(started);
  const win = FakeBrowserWindow.instances[0]!;
  return { fake, win, shell, core: started };
}

function frameEvent(win: FakeBrowserWindow, url = 'app://softphone/index.html', parent: unknown = null) {
  return { sender: win.webContents, senderFrame: { url, parent } };
}

describe('Electron host wiring (fake electron)', () => {
  it('opens one hardened window on the app:// page', async () => {
    const { fake, win } = await started();
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(win.options['webPreferences']).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect((win.options['webPreferences'] as { preload: string }).preload).toBe(join(root, 'dist', 'preload', 'preload.cjs'));
    expect(win.loadedUrl).toBe('app://softphone/index.html');
    expect(fake.privilegedSchemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
  });

  it('denies new windows, navigation away, webviews and permissions', async () => {
    const { fake, win } = await started();
    const contents = win.webContents;
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/help' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual(['https://example.com/help']);
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('app://softphone/index.html')).toBe(false);
    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();
    const granted = vi.fn();
    fake.permissionRequest?.(contents, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(fake.permissionCheck?.()).toBe(false);
  });

  it('registers exactly one IPC channel per contract method', async () => {
    const { fake } = await started();
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(methodNames.map((m) => `phone:${m}`).sort());
  });

  it('answers a trusted frame through the contract, validating the payload', async () => {
    const { fake, win } = await started();
    const info = await fake.ipcHandlers.get('phone:app.info')!(frameEvent(win), undefined);
    expect(info).toMatchObject({ ok: true, result: { host: 'electron', name: 'Softphone' } });
    const bad = await fake.ipcHandlers.get('phone:accounts.add')!(frameEvent(win), { user: 'alice', domain: 'x y' });
    expect(bad).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid_params', field: 'domain' }) });
    const extra = await fake.ipcHandlers.get('phone:calls.list')!(frameEvent(win), { sneaky: 1 });
    expect(extra).toMatchObject({ ok: false, error: { field: 'sneaky' } });
  });

  it('refuses IPC from a foreign page, a subframe or another WebContents', async () => {
    const { fake, win } = await started();
    const handler = fake.ipcHandlers.get('phone:accounts.list')!;
    const refusedFrom = async (event: unknown) => ((await handler(event, {})) as { ok: boolean }).ok === false;
    expect(await refusedFrom(frameEvent(win, 'https://evil.example/'))).toBe(true);
    expect(await refusedFrom(frameEvent(win, 'file:///tmp/index.html'))).toBe(true);
    expect(await refusedFrom(frameEvent(win, 'app://softphone/index.html', { url: 'app://softphone/index.html' }))).toBe(true);
    expect(await refusedFrom({ sender: new FakeWebContents(), senderFrame: { url: 'app://softphone/index.html', parent: null } })).toBe(true);
    expect(await refusedFrom({ sender: win.webContents, senderFrame: null })).toBe(true);
    expect(await refusedFrom(frameEvent(win))).toBe(false);
  });

  it('forwards core events to the window on one channel', () => {
    const contents = new FakeWebContents();
    forwardEvent(contents as never, 'account.state', { accountId: 'a1', state: 'registered' });
    expect(contents.sent).toEqual([['phone:event', 'account.state', { accountId: 'a1', state: 'registered' }]]);
  });

  it('serves the renderer from app:// with a CSP, and nothing else', async () => {
    const { fake } = await started();
    const serve = fake.protocolHandlers.get('app')!;
    expect(existsSync(join(root, 'dist', 'renderer', 'index.html')), 'run `npm run build` first').toBe(true);
    const index = await serve(new Request('app://softphone/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await index.text()).toContain('<html');
    expect((await serve(new Request('app://softphone/../../package.json'))).status).toBe(404);
    expect((await serve(new Request('app://softphone/%2e%2e/%2e%2e/package.json'))).status).toBe(404);
    expect((await serve(new Request('app://elsewhere/index.html'))).status).toBe(404);
  });

  it('keeps a single instance: a second one quits, the first comes forward', async () => {
    const { fake, win } = await started();
    fake.app.emit('second-instance', {}, ['softphone'], '/');
    expect(win.focused).toBe(true);
    expect(win.minimized).toBe(false);

    const second = fakeElectron(tempDir());
    second.app.lock = false;
    const host = startElectronHost(second.module, [], silentLogger);
    expect(host.primary).toBe(false);
    expect(second.app.quitCalls).toBe(1);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(second.ipcHandlers.size).toBe(0);
  });

  it('uses --data-dir over userData, and quits when the window closes', async () => {
    const dataDir = tempDir();
    const { fake } = await started(['--data-dir', dataDir]);
    expect(existsSync(join(dataDir, 'softphone.sqlite'))).toBe(true);
    fake.app.emit('window-all-closed');
    expect(fake.app.quitCalls).toBe(1);
  });
});

describe('SafeStorageSecretStore', () => {
  it('keeps passwords encrypted in a 0600 file', async () => {
    const fake = fakeElectron(tempDir());
    const dir = tempDir();
    const store = chooseSecretStore(fake.module, dir, silentLogger);
    expect(store).toBeInstanceOf(SafeStorageSecretStore);
    await store.set('account:a1:password', 'hunter2-secret');
    const file = join(dir, 'secrets.json');
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await new SafeStorageSecretStore(fake.module.safeStorage, dir).get('account:a1:password')).toBe('hunter2-secret');
    await store.delete('account:a1:password');
    expect(await store.get('account:a1:password')).toBeUndefined();
  });

  it('refuses to keep a password without OS encryption, saying why, and writes nothing', async () => {
    const fake = fakeElectron(tempDir());
    fake.encryption = false;
    const dir = tempDir();
    const store = chooseSecretStore(fake.module, dir, silentLogger, 'win32');
    const refusal = store.set('account:a1:password', 'hunter2');
    await expect(refusal).rejects.toBeInstanceOf(PhoneError);
    await expect(refusal).rejects.toMatchObject({ code: 'unavailable', field: 'password', message: expect.stringMatching(/cannot be saved securely: the operating system offers no encryption/) });
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
    expect(await store.get('account:a1:password')).toBeUndefined();
    expect(store.description).toMatch(/^not saved: the operating system offers no encryption/);
  });

  it("refuses Linux's basic_text backend, which only obfuscates", async () => {
    const fake = fakeElectron(tempDir());
    fake.backend = 'basic_text';
    const store = chooseSecretStore(fake.module, tempDir(), silentLogger, 'linux');
    await expect(store.set('account:a1:password', 'hunter2')).rejects.toThrow(/no secret service/);
  });

  it('says so when a saved password cannot be decrypted (another keychain)', async () => {
    const fake = fakeElectron(tempDir());
    const dir = tempDir();
    await chooseSecretStore(fake.module, dir, silentLogger, 'linux').set('k', 'secret');
    const broken = { ...fake.module.safeStorage, decryptString: () => { throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.'); } };
    await expect(new SafeStorageSecretStore(broken, dir, 'linux').get('k')).rejects.toMatchObject({ code: 'unavailable', message: /enter it again/ });
  });

  it('an account added through the contract keeps its password out of the files', async () => {
    const { core, fake } = await started();
    const added = await core.bridge.invoke('accounts.add', { user: 'alice', domain: 'example.invalid', password: 'hunter2-secret', enabled: false });
    expect(added).toMatchObject({ ok: true, result: { hasPassword: true } });
    const secrets = readFileSync(join(fake.app.userData, 'secrets.json'), 'utf8');
    expect(secrets).not.toContain('hunter2');
  });
});

describe('desktop shell (fake electron)', () => {
  function recordingLogger(): Logger & { lines: string[] } {
    const lines: string[] = [];
    const at = (message: string, fields?: Record<string, unknown>) => void lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
    return { lines, debug: at, info: at, warn: at, error: at };
  }

  it('a link on the first launch is confirmed before anything is dialled, and options after it are ignored', async () => {
    const dataDir = tempDir();
    const log = recordingLogger();
    const { fake } = await started(['--data-dir', dataDir, 'tel:+1-555-0100', '--config', '/nonexistent/evil.json'], () => {}, log);
    expect(fake.dialogs.map((d) => d.options['message'])).toEqual(['Call +15550100?']);
    expect(log.lines.some((l) => l.startsWith('call link declined by the user'))).toBe(true);
    expect(existsSync(join(dataDir, 'softphone.sqlite'))).toBe(true);
  });

  it('a link from a second instance, confirmed, is dialled through the contract', async () => {
    const { fake, core, win } = await started();
    fake.dialogResponse = 0;
    const invoke = vi.spyOn(core.bridge, 'invoke');
    win.minimized = true;
    fake.app.emit('second-instance', {}, ['/opt/Softphone/softphone', '--no-sandbox', 'sip:bob@example.com;maddr=203.0.113.9'], '/');
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('calls.dial', { target: 'sip:bob@example.com' }));
    expect(fake.dialogs).toHaveLength(1);
    expect(win.minimized).toBe(false);
  });

  it('macOS open-url: handled by us, refused links never reach a dialog', async () => {
    const { fake } = await started();
    const event = preventable();
    fake.app.emit('open-url', event, 'sip:bob@example.com?Route=%3Csip:evil.example%3E');
    expect(event.prevented).toBe(true);
    fake.app.emit('open-url', preventable(), 'callto:+44 20');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.dialogs).toEqual([]);
  });

  it('packaged: claims only the schemes no other application handles', async () => {
    const { fake } = await started([], (f) => {
      f.app.isPackaged = true;
      f.app.handlers['sip:'] = 'Linphone';
    });
    expect(fake.app.defaultFor).toEqual(['sips', 'tel', 'callto']);
  });

  it('the tray shows registration and sets presence through the contract', async () => {
    const { fake } = await started();
    const tray = FakeTray.instances[0]!;
    expect(tray.icon).toBe('offline.png');
    tray.click('Do not disturb');
    await vi.waitFor(() => expect(tray.icon).toBe('dnd.png'));
    expect(tray.menu.find((i) => i.label === 'Do not disturb')?.checked).toBe(true);
    tray.click('Start at login');
    expect(JSON.parse(readFileSync(join(fake.app.userData, 'desktop.json'), 'utf8'))).toMatchObject({ startAtLogin: true });
  });

  it('closing the window hides it to the tray; Quit ends the core within the bound, then quits', async () => {
    const { fake, win, shell } = await started();
    expect([...fake.shortcuts.keys()].sort()).toEqual(['CommandOrControl+Alt+Shift+A', 'CommandOrControl+Alt+Shift+H', 'CommandOrControl+Alt+Shift+M']);
    win.visible = true;
    const close = preventable();
    win.emit('close', close);
    expect(close.prevented).toBe(true);
    expect(win.visible).toBe(false);

    FakeTray.instances[0]!.click('Quit');
    expect(fake.app.quitCalls).toBe(1);
    // What Electron does next: before-quit, the window closes for real, will-quit.
    fake.app.emit('before-quit', preventable());
    const closing = preventable();
    win.emit('close', closing);
    expect(closing.prevented).toBe(false);
    const willQuit = preventable();
    fake.app.emit('will-quit', willQuit);
    expect(willQuit.prevented).toBe(true);
    await shell.closed;
    expect(fake.app.quitCalls).toBe(2);
    expect(fake.shortcuts.size).toBe(0);
    expect(FakeTray.instances[0]!.destroyed).toBe(true);
    const again = preventable();
    fake.app.emit('will-quit', again);
    expect(again.prevented).toBe(false);
  });

  it('resume and unlock re-register at once', async () => {
    const { fake, core } = await started();
    const networkChanged = vi.spyOn(core.core, 'networkChanged');
    fake.powerMonitor.emit('resume');
    expect(networkChanged).toHaveBeenCalledTimes(1);
  });

  it('--hidden (a start at login) keeps the window in the tray', async () => {
    const { win } = await started(['--hidden']);
    win.emit('ready-to-show');
    expect(win.visible).toBe(false);
    const shown = await started();
    shown.win.emit('ready-to-show');
    expect(shown.win.visible).toBe(true);
  });

  it('a crashed renderer is loaded again, a few times at most', async () => {
    const { win } = await started();
    for (let i = 0; i < 5; i++) {
      win.loadedUrl = undefined;
      win.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 1 });
      expect(win.loadedUrl).toBe(i < 3 ? 'app://softphone/index.html' : undefined);
    }
  });
});

describe('desktop shell on Windows (fake electron)', () => {
  it('sets the AppUserModelID notifications need, and registers links with `--` before them', async () => {
    const fake = fakeElectron(tempDir());
    fake.app.isPackaged = true;
    const calls: unknown[][] = [];
    const original = fake.module.app.setAsDefaultProtocolClient.bind(fake.module.app);
    fake.module.app.setAsDefaultProtocolClient = (...args: Parameters<typeof original>) => {
      calls.push(args);
      return original(...args);
    };
    const host = startElectronHost(fake.module, [], silentLogger, { ...testEnvironment(), platform: 'win32', execPath: 'C:\\Softphone\\Softphone.exe' });
    const { started } = await host.ready;
    cores.push(started);
    expect(fake.app.appUserModelId).toBe('org.softphone.app');
    expect(calls[0]).toEqual(['sip', 'C:\\Softphone\\Softphone.exe', ['--']]);
  });
});

describe('crash-safe restart (fake electron)', () => {
  it('an uncaught exception restarts the app, hidden if it was, without the call link it was started with', async () => {
    const { fake, win } = await started(['--data-dir', tempDir(), 'tel:+15550100']);
    win.visible = false;
    crashEvents.emit('uncaughtException', new Error('boom'));
    expect(fake.app.relaunched).toEqual([[expect.stringMatching(/^--data-dir$/), expect.any(String), '--hidden']]);
    expect(fake.app.exitCodes).toEqual([70]);
  });
});
