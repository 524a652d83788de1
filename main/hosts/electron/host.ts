/**
 * The Electron host: single instance, hardened window, the renderer served from `app://`
 * (not file://) with a CSP, the contract over validated IPC, core events to the window — and
 * the desktop shell around it: tray, incoming-call alerts, click-to-call links, power and
 * network events, global shortcuts, headset buttons, start at login, close to tray and a quit
 * that unregisters. Takes the Electron module as a value so the logic runs under test with a fake.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Method, ParamsIn, Result } from '../../../shared/contract.js';
import type { AccountView, HistoryEntry, OwnPresence } from '../../../shared/model.js';
import type { Logger } from '../../core/log.js';
import { readAppMeta } from '../app-meta.js';
import { parseCommonOptions } from '../options.js';
import { startCore, type StartedCore } from '../start-core.js';
import { contentTypeOf, rendererCsp, resolveStaticFile } from '../static-files.js';
import { CallActions, bridgeInvoker } from './call-actions.js';
import { callLinkSchemes, findCallLink, isCallLinkArgument } from './call-link.js';
import { CallTracker } from './call-tracker.js';
import { ClickToCall, confirmDialogOptions } from './click-to-call.js';
import { CrashGuard } from './crash-guard.js';
import { DesktopSettingsFile } from './desktop-settings.js';
import type { BrowserWindowInstance, ElectronMain } from './electron-api.js';
import { followShortcutPreferences, GlobalShortcuts } from './global-shortcuts.js';
import { Headsets, loadNodeHid, type HidModule } from './hid/headsets.js';
import { IncomingAlerts } from './incoming-alerts.js';
import { forwardEvent, registerContractIpc } from './ipc.js';
import { applyLoginItem, startsHidden } from './login-item.js';
import { watchIdle } from './idle-watch.js';
import { watchNetwork } from './network-watch.js';
import { chooseSecretStore } from './secret-store.js';
import { TrayController } from './tray.js';
import { appScheme, createIncomingCallWindow, createMainWindow, incomingUrl, indexUrl } from './window.js';

export interface ElectronHost {
  /** False when another instance already runs: this one hands over and quits. */
  readonly primary: boolean;
  /** Resolves once the core runs and the window is loading. */
  readonly ready: Promise<{ window: BrowserWindowInstance; started: StartedCore; shell: DesktopShell }>;
}

/** The shell's parts, for tests and for the entry point. */
export interface DesktopShell {
  readonly settings: DesktopSettingsFile;
  readonly calls: CallTracker;
  readonly clickToCall: ClickToCall;
  readonly headsets: Headsets | undefined;
  /** Resolves when the quit sequence (calls ended, accounts unregistered) is over. */
  readonly closed: Promise<void>;
}

/** What differs between a real run and a test. */
export interface HostEnvironment {
  platform: NodeJS.Platform;
  interfaces: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
  /** How long quitting waits for the core (BYE, REGISTER Expires 0) before leaving anyway. */
  quitTimeoutMs: number;
  loadHid: () => Promise<HidModule | undefined>;
  execPath: string;
  env: NodeJS.ProcessEnv;
  /** Where uncaught exceptions are caught for a crash-safe restart (the real `process`). */
  processEvents: Pick<NodeJS.Process, 'on' | 'off'>;
}

const maxRendererReloads = 3;
/** `appId` in electron-builder.yml. */
export const appUserModelId = 'org.softphone.app';

export function startElectronHost(electron: ElectronMain, argv: readonly string[], log: Logger, environment: Partial<HostEnvironment> = {}): ElectronHost {
  const env: HostEnvironment = {
    platform: process.platform,
    interfaces: networkInterfaces,
    quitTimeoutMs: 5000,
    loadHid: () => loadNodeHid(log),
    execPath: process.execPath,
    env: process.env,
    processEvents: process,
    ...environment,
  };
  const { app } = electron;
  // Windows shows notifications only for an app with the AppUserModelID its Start menu shortcut
  // carries; the NSIS installer gives the shortcut the appId of electron-builder.yml.
  if (env.platform === 'win32') app.setAppUserModelId(appUserModelId);
  // Must happen before `ready`: app:// behaves like https (secure context, standard URLs).
  electron.protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { primary: false, ready: new Promise(() => {}) };
  }

  // A link on the command line comes last; nothing after it is read as an option, so a crafted
  // link cannot smuggle `--config` or `--data-dir` in (the Windows protocol-handler argv attack).
  const linkIndex = argv.findIndex(isCallLinkArgument);
  const optionArgs = linkIndex < 0 ? argv : argv.slice(0, linkIndex);

  let window: BrowserWindowInstance | undefined;
  const showWindow = () => {
    if (window === undefined || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  };
  const clickToCall = new ClickToCall({
    confirmFirst: () => settings?.value.confirmCallLinks ?? true,
    confirm: async (link) => {
      showWindow();
      const options = confirmDialogOptions(link, app.getName());
      const answer = window === undefined ? await electron.dialog.showMessageBox(options) : await electron.dialog.showMessageBox(window, options);
      return answer.response === 0;
    },
    dial: async (target) => {
      if (started === undefined) throw new Error('the phone is not running');
      const outcome = await started.bridge.invoke('calls.dial', { target });
      if (!outcome.ok) throw new Error(outcome.error.message);
      showWindow();
    },
    log,
  });
  let settings: DesktopSettingsFile | undefined;
  let started: StartedCore | undefined;

  app.on('second-instance', (_event, secondArgv) => {
    // Another launch (a desktop shortcut, or a link while we run) brings this one forward.
    const link = findCallLink(secondArgv);
    if (link !== undefined) void clickToCall.receive(link, 'second-instance');
    else showWindow();
  });
  // macOS delivers links as an event, possibly before `ready` (the launch that a link caused).
  app.on('open-url', (event, url) => {
    event.preventDefault();
    void clickToCall.receive(url, 'open-url');
  });
  if (linkIndex >= 0) void clickToCall.receive(argv[linkIndex]!, 'argv');

  const ready = (async () => {
    await app.whenReady();
    const meta = readAppMeta();
    const common = parseCommonOptions(optionArgs, () => app.getPath('userData'));
    const desktop = new DesktopSettingsFile(common.dataDir, log);
    settings = desktop;
    const uninstallCrashGuard = new CrashGuard({
      app,
      showError: (title, content) => electron.dialog.showErrorBox(title, content),
      dataDir: common.dataDir,
      argv,
      windowVisible: () => window !== undefined && !window.isDestroyed() && window.isVisible(),
      log,
    }).install(env.processEvents);
    const core = await startCore('electron', common, log, {
      secrets: chooseSecretStore(electron, common.dataDir, log, env.platform),
      versions: { electron: process.versions['electron'] ?? 'unknown', chrome: process.versions['chrome'] ?? 'unknown' },
    });
    started = core;
    const invoke = bridgeInvoker(core.bridge, log);
    const request = async <M extends Method>(method: M, params: ParamsIn<M>): Promise<Result<M> | undefined> => {
      const outcome = await core.bridge.invoke(method, params);
      return outcome.ok ? (outcome.result as Result<M>) : undefined;
    };
    registerProtocols(electron, env, log);

    const session = electron.session.defaultSession;
    session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.setPermissionCheckHandler(() => false);

    const rendererDir = join(meta.root, 'dist', 'renderer');
    const csp = rendererCsp();
    electron.protocol.handle(appScheme, async (req) => {
      const url = new URL(req.url);
      const found = url.host === 'softphone' ? resolveStaticFile(rendererDir, url.pathname) : undefined;
      if (found === undefined) return new Response('not found', { status: 404 });
      const file = await electron.net.fetch(pathToFileURL(found.file).toString());
      return new Response(file.body, {
        status: 200,
        headers: { 'content-type': contentTypeOf(found.file), 'content-security-policy': csp, 'x-content-type-options': 'nosniff' },
      });
    });

    const hidden = startsHidden(optionArgs, app, env.platform, desktop.value.startHidden);
    const win = createMainWindow(electron, {
      preload: join(meta.root, 'dist', 'preload', 'preload.cjs'),
      title: meta.productName,
      devTools: !app.isPackaged,
      icon: join(meta.root, 'assets', 'icon.png'),
      hidden,
    });
    window = win;
    /** The small incoming-call window, while a call rings and the option is on. */
    let incomingWindow: BrowserWindowInstance | undefined;
    const unregister = registerContractIpc(electron.ipcMain, core.bridge, (contents) => contents === win.webContents || (incomingWindow !== undefined && contents === incomingWindow.webContents), log);

    const tracker = new CallTracker();
    const actions = new CallActions(tracker, invoke);
    const alerts = new IncomingAlerts({
      Notification: electron.Notification,
      platform: env.platform,
      answer: (callId) => void actions.answer(callId).then(showWindow),
      decline: (callId) => void actions.decline(callId),
      focus: showWindow,
      // The option's small window on top of the others, shown without taking the keyboard from
      // what the user is typing in; closed as soon as no call rings.
      ringingWindow: (on) => {
        if (on && incomingWindow === undefined) {
          const opened = createIncomingCallWindow(electron, { preload: join(meta.root, 'dist', 'preload', 'preload.cjs'), title: meta.productName, devTools: !app.isPackaged });
          incomingWindow = opened;
          opened.on('closed', () => {
            if (incomingWindow === opened) incomingWindow = undefined;
          });
          void opened.loadURL(incomingUrl);
        } else if (!on && incomingWindow !== undefined) {
          const closing = incomingWindow;
          incomingWindow = undefined;
          if (!closing.isDestroyed()) closing.close();
          // Answered from it: the call goes on in the main window.
          if (tracker.active !== undefined) showWindow();
        }
      },
      settings: () => desktop.value,
      appName: meta.productName,
      log,
    });
    const unsubscribe = core.core.subscribe((name, payload) => {
      forwardEvent(win.webContents, name, payload);
      if (incomingWindow !== undefined && !incomingWindow.isDestroyed()) forwardEvent(incomingWindow.webContents, name, payload);
      tracker.event(name, payload);
      if (name === 'call.state' || name === 'call.incoming') alerts.call(payload as Parameters<IncomingAlerts['call']>[0]);
    });
    const accounts: AccountView[] = (await request('accounts.list', {})) ?? [];
    tracker.seedAccounts(accounts.map((a) => a.status));
    const history: HistoryEntry[] = (await request('history.list', { filter: 'all', limit: 5 })) ?? [];
    const missed: HistoryEntry[] = (await request('history.list', { filter: 'missed', limit: 1000 })) ?? [];
    tracker.seedHistory(history, missed.filter((entry) => entry.unseen === true).length);
    const presence: OwnPresence | undefined = (await request('presence.get', {}))?.own;
    if (presence !== undefined) tracker.event('presence.own', presence);

    const setLoginItem = (on: boolean) => {
      try {
        applyLoginItem(app, meta.productName, on, { platform: env.platform, execPath: env.execPath, args: app.isPackaged ? [] : [meta.root], env: env.env });
      } catch (error) {
        log.warn('start at login not changed', { error: String(error) });
      }
    };
    // Re-applied at each start: an update or a moved AppImage changes the program's path.
    if (desktop.value.startAtLogin) setLoginItem(true);

    let tray: TrayController | undefined;
    try {
      tray = new TrayController(electron, join(meta.root, 'assets', 'tray'), tracker, () => desktop.value, {
        open: showWindow,
        setPresence: (status) => void invoke('presence.set', { status }),
        callBack: (uri) => void invoke('calls.dial', { target: uri }).then(showWindow),
        setStartAtLogin: (on) => {
          desktop.update({ startAtLogin: on });
          setLoginItem(on);
          tray?.update();
        },
        setStartHidden: (on) => {
          desktop.update({ startHidden: on });
          tray?.update();
        },
        quit: () => app.quit(),
      }, meta.productName);
    } catch (error) {
      // Some Linux desktops have no tray: then closing the window must quit.
      log.warn('no tray icon', { error: String(error) });
    }

    const shortcuts = new GlobalShortcuts(
      electron.globalShortcut,
      { answer: () => void actions.answer(), hangup: () => void actions.hangup(), mute: () => void actions.toggleMute() },
      log,
    );
    const stopShortcuts = await followShortcutPreferences({
      shortcuts,
      getPreferences: () => request('preferences.get', {}),
      setShortcuts: (changed) => request('preferences.set', { shortcuts: changed }),
      subscribe: (sink) => core.core.subscribe(sink),
      legacy: desktop.value.shortcuts,
      log,
    });

    const stopIdle = watchIdle({ powerMonitor: electron.powerMonitor, userIdle: (idle) => core.core.userIdle(idle) });
    const stopNetwork = watchNetwork({
      powerMonitor: electron.powerMonitor,
      interfaces: env.interfaces,
      pollMs: desktop.value.networkPollMs,
      networkChanged: () => core.core.networkChanged(),
      log,
    });

    let headsets: Headsets | undefined;
    if (desktop.value.headset) {
      const hid = await env.loadHid();
      if (hid !== undefined) {
        headsets = new Headsets({
          hid,
          state: () => ({ ringing: tracker.ringing !== undefined, inCall: tracker.inProgress !== undefined }),
          actions: { answer: () => void actions.answer(), hangup: () => void actions.hangup(), toggleMute: () => void actions.toggleMute() },
          log,
        });
        const lamps = () => {
          const active = tracker.active;
          headsets?.setLamps({ offHook: tracker.inProgress !== undefined, ring: tracker.ringing !== undefined, mute: active?.muted === true, hold: active?.held === true });
        };
        tracker.onChange(lamps);
        headsets.start();
      }
    }

    let quitting = false;
    let closing: Promise<void> | undefined;
    let closingDone = false;
    let markClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => (markClosed = resolve));

    // The user looked: missed calls are seen (now, or when one comes while they look).
    win.on('focus', () => tracker.clearMissed());
    tracker.onChange(() => {
      if (tracker.missed > 0 && !win.isDestroyed() && win.isVisible() && win.isFocused()) tracker.clearMissed();
    });
    win.on('close', (event) => {
      if (quitting || tray === undefined || !desktop.value.closeToTray) return;
      event.preventDefault();
      win.hide();
    });
    // The renderer crashed or was killed: load it again rather than leave a blank window.
    let reloads: number[] = [];
    win.webContents.on('render-process-gone', (_event, details) => {
      const now = Date.now();
      reloads = [...reloads.filter((t) => now - t < 60_000), now];
      log.error('renderer gone', { reason: details.reason, reloads: reloads.length });
      if (details.reason !== 'clean-exit' && reloads.length <= maxRendererReloads && !win.isDestroyed()) void win.loadURL(indexUrl);
    });
    app.on('activate', showWindow);

    app.on('before-quit', () => {
      quitting = true;
    });
    app.on('window-all-closed', () => app.quit());
    app.on('will-quit', (event) => {
      if (closingDone) return;
      // Hold the quit until calls are ended and accounts unregistered, within a bound.
      event.preventDefault();
      closing ??= (async () => {
        try {
          // Calls are ended here first and given a moment (bounded) to end: core.close() asks for
          // the BYEs but closes the transport before they leave.
          const calls = tracker.current;
          if (calls.length > 0) {
            await Promise.all(calls.map((call) => invoke('calls.hangup', { callId: call.id })));
            await withTimeout(untilNoCalls(tracker), Math.min(2000, env.quitTimeoutMs / 2));
          }
          uninstallCrashGuard();
          stopShortcuts();
          shortcuts.clear();
          stopNetwork();
          stopIdle();
          alerts.clear();
          tray?.destroy();
          unsubscribe();
          unregister();
          await Promise.all([
            headsets?.stop(),
            withTimeout(core.core.close(), env.quitTimeoutMs).then((finished) => {
              if (!finished) log.warn('quit did not wait any longer for calls and registrations to end', { ms: env.quitTimeoutMs });
            }),
          ]);
        } catch (error) {
          log.error('quit: shutdown failed', { error: String(error) });
        } finally {
          // Whatever failed, the app still quits.
          closingDone = true;
          markClosed();
          app.quit();
        }
      })();
    });

    await win.loadURL(indexUrl);
    await clickToCall.start();
    return { window: win, started: core, shell: { settings: desktop, calls: tracker, clickToCall, headsets, closed } };
  })();
  return { primary: true, ready };
}

function untilNoCalls(tracker: CallTracker): Promise<void> {
  return new Promise((resolve) => {
    if (tracker.current.length === 0) return resolve();
    const stop = tracker.onChange(() => {
      if (tracker.current.length > 0) return;
      stop();
      resolve();
    });
  });
}

/** Resolves true if `promise` settled within `ms`. */
async function withTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The installers register the app for the schemes (NSIS, the dmg's Info.plist, the deb's
 * MimeType). At run time the app claims a scheme only when no application handles it yet:
 * it never takes `sip:` from another softphone the user chose.
 */
function registerProtocols(electron: ElectronMain, env: HostEnvironment, log: Logger): void {
  const { app } = electron;
  if (!app.isPackaged) return;
  for (const scheme of callLinkSchemes) {
    if (app.getApplicationNameForProtocol(`${scheme}:`) !== '') continue;
    // On Windows the command becomes `"exe" "--" "%1"`: `--` ends Chromium's switches before the link.
    const registered = env.platform === 'win32' ? app.setAsDefaultProtocolClient(scheme, env.execPath, ['--']) : app.setAsDefaultProtocolClient(scheme);
    if (!registered) log.warn('could not register as handler', { scheme, platform: env.platform });
  }
}
