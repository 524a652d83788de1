/**
 * The Electron host: single instance, hardened window, the renderer served from `app://`
 * (not file://) with a CSP, the contract over validated IPC, core events to the window.
 * Takes the Electron module as a value so the logic runs under test with a fake.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../../core/log.js';
import { readAppMeta } from '../app-meta.js';
import { parseCommonOptions } from '../options.js';
import { startCore, type StartedCore } from '../start-core.js';
import { contentTypeOf, rendererCsp, resolveStaticFile } from '../static-files.js';
import type { BrowserWindowInstance, ElectronMain } from './electron-api.js';
import { forwardEvent, registerContractIpc } from './ipc.js';
import { chooseSecretStore } from './secret-store.js';
import { appScheme, createMainWindow, indexUrl } from './window.js';

export interface ElectronHost {
  /** False when another instance already runs: this one hands over and quits. */
  readonly primary: boolean;
  /** Resolves once the core runs and the window is loading. */
  readonly ready: Promise<{ window: BrowserWindowInstance; started: StartedCore }>;
}

export function startElectronHost(electron: ElectronMain, argv: readonly string[], log: Logger): ElectronHost {
  const { app } = electron;
  // Must happen before `ready`: app:// behaves like https (secure context, standard URLs).
  electron.protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { primary: false, ready: new Promise(() => {}) };
  }

  let window: BrowserWindowInstance | undefined;
  app.on('second-instance', () => {
    // Another launch (e.g. from a desktop shortcut) brings this one forward instead.
    if (window === undefined || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });

  const ready = (async () => {
    await app.whenReady();
    const meta = readAppMeta();
    const common = parseCommonOptions(argv, () => app.getPath('userData'));
    const started = await startCore('electron', common, log, {
      secrets: chooseSecretStore(electron, common.dataDir, log),
      versions: { electron: process.versions['electron'] ?? 'unknown', chrome: process.versions['chrome'] ?? 'unknown' },
    });

    const session = electron.session.defaultSession;
    session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.setPermissionCheckHandler(() => false);

    const rendererDir = join(meta.root, 'dist', 'renderer');
    const csp = rendererCsp();
    electron.protocol.handle(appScheme, async (request) => {
      const url = new URL(request.url);
      const found = url.host === 'softphone' ? resolveStaticFile(rendererDir, url.pathname) : undefined;
      if (found === undefined) return new Response('not found', { status: 404 });
      const file = await electron.net.fetch(pathToFileURL(found.file).toString());
      return new Response(file.body, {
        status: 200,
        headers: { 'content-type': contentTypeOf(found.file), 'content-security-policy': csp, 'x-content-type-options': 'nosniff' },
      });
    });

    const win = createMainWindow(electron, {
      preload: join(meta.root, 'dist', 'preload', 'preload.cjs'),
      title: meta.productName,
      devTools: !app.isPackaged,
    });
    window = win;
    const unregister = registerContractIpc(electron.ipcMain, started.bridge, (contents) => contents === win.webContents, log);
    const unsubscribe = started.core.subscribe((name, payload) => forwardEvent(win.webContents, name, payload));

    app.on('window-all-closed', () => app.quit());
    app.once('will-quit', () => {
      unsubscribe();
      unregister();
      void started.core.close();
    });
    await win.loadURL(indexUrl);
    return { window: win, started };
  })();
  return { primary: true, ready };
}
