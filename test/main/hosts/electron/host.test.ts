import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { methodNames } from '../../../../shared/contract.js';
import { silentLogger } from '../../../../main/core/log.js';
import { startElectronHost } from '../../../../main/hosts/electron/host.js';
import { forwardEvent } from '../../../../main/hosts/electron/ipc.js';
import { SafeStorageSecretStore, chooseSecretStore } from '../../../../main/hosts/electron/secret-store.js';
import { MemorySecretStore } from '../../../../main/core/store/secret-store.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { FakeBrowserWindow, FakeWebContents, fakeElectron, type FakeElectron } from './fake-electron.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');
let closeCore: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeCore?.();
  closeCore = undefined;
});

async function started(argv: string[] = []): Promise<{ fake: FakeElectron; win: FakeBrowserWindow }> {
  const fake = fakeElectron(tempDir());
  const host = startElectronHost(fake.module, argv, silentLogger);
  expect(host.primary).toBe(true);
  const { started } = await host.ready;
  closeCore = () => started.core.close();
  const win = FakeBrowserWindow.instances[0]!;
  return { fake, win };
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

  it('falls back to memory, never plain text, without OS encryption', () => {
    const fake = fakeElectron(tempDir());
    fake.encryption = false;
    expect(chooseSecretStore(fake.module, tempDir(), silentLogger)).toBeInstanceOf(MemorySecretStore);
  });
});
