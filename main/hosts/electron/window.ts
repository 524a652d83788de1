/**
 * The main window, hardened as the Electron security checklist asks: context isolation,
 * sandbox, no Node in the renderer, no new windows, no navigation away from the app, no
 * permissions (audio runs in the main process, so the page needs none), no webviews.
 */
import type { BrowserWindowConstructorOptions, WebContents } from 'electron';
import type { BrowserWindowInstance, ElectronMain } from './electron-api.js';

export const appScheme = 'app';
export const appOrigin = `${appScheme}://softphone`;
export const indexUrl = `${appOrigin}/index.html`;

export function windowOptions(preload: string, title: string, devTools: boolean): BrowserWindowConstructorOptions {
  return {
    width: 420,
    height: 720,
    minWidth: 360,
    minHeight: 560,
    show: false,
    title,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools,
    },
  };
}

/** Denies what a compromised or confused page could ask of its WebContents. */
export function hardenWebContents(contents: WebContents, openExternal: (url: string) => void, page: string = indexUrl): void {
  contents.setWindowOpenHandler(({ url }) => {
    // Links to the web open in the user's browser, never inside the app.
    if (/^https:\/\//i.test(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (url !== page) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function createMainWindow(
  electron: ElectronMain,
  options: { preload: string; title: string; devTools: boolean; icon?: string; hidden?: boolean },
): BrowserWindowInstance {
  const win = new electron.BrowserWindow({
    ...windowOptions(options.preload, options.title, options.devTools),
    ...(options.icon === undefined ? {} : { icon: options.icon }),
  });
  hardenWebContents(win.webContents, (url) => void electron.shell.openExternal(url));
  // Started hidden (at login, or by choice): the window loads but waits for the tray.
  if (options.hidden !== true) win.once('ready-to-show', () => win.show());
  return win;
}

/** The page of the small incoming-call window: the same app, its `#incoming` view. */
export const incomingUrl = `${indexUrl}#incoming`;

/**
 * The incoming-call window (an option): small, frameless, on top of everything, shown without
 * taking the keyboard; hardened like the main window (the same preload and contract, nothing else).
 */
export function createIncomingCallWindow(electron: ElectronMain, options: { preload: string; title: string; devTools: boolean }): BrowserWindowInstance {
  const base = windowOptions(options.preload, options.title, options.devTools);
  const win = new electron.BrowserWindow({
    ...base,
    width: 380,
    height: 170,
    minWidth: 320,
    minHeight: 140,
    resizable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    frame: false,
    skipTaskbar: true,
    alwaysOnTop: true,
  });
  hardenWebContents(win.webContents, (url) => void electron.shell.openExternal(url), incomingUrl);
  win.setAlwaysOnTop(true, 'pop-up-menu');
  win.once('ready-to-show', () => win.showInactive());
  return win;
}
