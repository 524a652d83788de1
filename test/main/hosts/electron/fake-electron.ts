/**
 * A stand-in for the parts of Electron's main-process API the host uses, recording what the
 * host does with them. The Electron binary cannot run on the machines that test this project.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ElectronMain } from '../../../../main/hosts/electron/electron-api.js';

type Listener = (...args: never[]) => unknown;

export class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }
  off(event: string, listener: Listener): this {
    return this.removeListener(event, listener);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => unknown)(...args);
  }
  count(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

/** An event whose default the host may prevent (close, will-quit, open-url). */
export function preventable(): { preventDefault: () => void; prevented: boolean } {
  const event = { prevented: false, preventDefault: () => void (event.prevented = true) };
  return event;
}

let nextContentsId = 1;
export class FakeWebContents extends Emitter {
  readonly id = nextContentsId++;
  readonly sent: unknown[][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push([channel, ...args]);
  }
  isDestroyed(): boolean {
    return false;
  }
}

export class FakeBrowserWindow extends Emitter {
  static readonly instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  minimized = true;
  focused = false;
  visible = false;
  alwaysOnTop = false;
  shownInactive = 0;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  destroyed = false;
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.emit('closed');
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.visible = true;
  }
  showInactive(): void {
    this.visible = true;
    this.shownInactive++;
  }
  hide(): void {
    this.visible = false;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  setAlwaysOnTop(on: boolean): void {
    this.alwaysOnTop = on;
  }
  focus(): void {
    this.focused = true;
  }
}

export class FakeTray extends Emitter {
  static readonly instances: FakeTray[] = [];
  images: string[] = [];
  tooltip = '';
  menu: FakeMenuItem[] = [];
  destroyed = false;
  constructor(image: { path: string }) {
    super();
    this.images.push(image.path);
    FakeTray.instances.push(this);
  }
  setImage(image: { path: string }): void {
    this.images.push(image.path);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: FakeMenuItem[]): void {
    this.menu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** The file name of the icon shown now. */
  get icon(): string {
    return this.images.at(-1)!.split(/[\\/]/).at(-1)!;
  }
  /** Clicks a menu item by its label (in submenus too). */
  click(label: string): void {
    const find = (items: FakeMenuItem[]): FakeMenuItem | undefined =>
      items.map((i) => (i.label === label ? i : Array.isArray(i.submenu) ? find(i.submenu) : undefined)).find((i) => i !== undefined);
    const item = find(this.menu);
    if (item === undefined) throw new Error(`no menu item ${label}`);
    if (item.type === 'checkbox') item.checked = !item.checked;
    item.click?.(item, undefined, {});
  }
}
export interface FakeMenuItem {
  label?: string;
  type?: string;
  checked?: boolean;
  enabled?: boolean;
  submenu?: FakeMenuItem[];
  click?: (item: FakeMenuItem, window: unknown, event: unknown) => void;
}

export class FakeNotification extends Emitter {
  static readonly instances: FakeNotification[] = [];
  static supported = true;
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  shown = false;
  closed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeNotification.instances.push(this);
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    this.closed = true;
  }
}

export interface FakeElectron {
  module: ElectronMain;
  app: Emitter & {
    quitCalls: number;
    lock: boolean;
    userData: string;
    isPackaged: boolean;
    badge: number;
    loginItems: unknown[];
    defaultFor: string[];
    handlers: Record<string, string>;
    appUserModelId?: string;
    relaunched: string[][];
    exitCodes: number[];
  };
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>;
  privilegedSchemes: unknown[];
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  permissionRequest?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
  permissionCheck?: () => boolean;
  opened: string[];
  encryption: boolean;
  backend: string;
  /** The button the next message box answers with (0 = Call). */
  dialogResponse: number;
  dialogs: { options: Record<string, unknown> }[];
  errorBoxes: string[];
  shortcuts: Map<string, () => void>;
  /** Accelerators another application holds. */
  takenShortcuts: Set<string>;
  powerMonitor: Emitter & { idleSeconds: number; getSystemIdleTime(): number };
}

export function fakeElectron(userData: string): FakeElectron {
  FakeBrowserWindow.instances.length = 0;
  FakeTray.instances.length = 0;
  FakeNotification.instances.length = 0;
  FakeNotification.supported = true;
  const fake: FakeElectron = {
    module: undefined as unknown as ElectronMain,
    app: Object.assign(new Emitter(), {
      quitCalls: 0,
      lock: true,
      userData,
      isPackaged: false,
      badge: 0,
      loginItems: [],
      defaultFor: [],
      handlers: {},
      relaunched: [],
      exitCodes: [],
    }),
    ipcHandlers: new Map(),
    privilegedSchemes: [],
    protocolHandlers: new Map(),
    opened: [],
    encryption: true,
    backend: 'gnome_libsecret',
    dialogResponse: 1,
    dialogs: [],
    errorBoxes: [],
    shortcuts: new Map(),
    takenShortcuts: new Set(),
    powerMonitor: Object.assign(new Emitter(), {
      idleSeconds: 0,
      getSystemIdleTime(this: { idleSeconds: number }): number {
        return this.idleSeconds;
      },
    }),
  };
  const app = Object.assign(fake.app, {
    requestSingleInstanceLock: () => fake.app.lock,
    quit: () => void fake.app.quitCalls++,
    whenReady: async () => {},
    getName: () => 'Softphone',
    setAppUserModelId: (id: string) => void (fake.app.appUserModelId = id),
    relaunch: (options?: { args?: string[] }) => void fake.app.relaunched.push(options?.args ?? []),
    exit: (code?: number) => void fake.app.exitCodes.push(code ?? 0),
    getPath: (name: string) => (name === 'userData' ? fake.app.userData : '/nonexistent'),
    setBadgeCount: (count: number) => {
      fake.app.badge = count;
      return true;
    },
    setLoginItemSettings: (settings: unknown) => void fake.app.loginItems.push(settings),
    getLoginItemSettings: () => ({ openAtLogin: false, wasOpenedAtLogin: false }),
    getApplicationNameForProtocol: (url: string) => fake.app.handlers[url] ?? '',
    setAsDefaultProtocolClient: (scheme: string) => {
      fake.app.defaultFor.push(scheme);
      return true;
    },
  });
  fake.module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) => {
        if (fake.ipcHandlers.has(channel)) throw new Error(`second handler for ${channel}`);
        fake.ipcHandlers.set(channel, handler);
      },
      removeHandler: (channel: string) => void fake.ipcHandlers.delete(channel),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: FakeElectron['permissionRequest']) => (fake.permissionRequest = handler),
        setPermissionCheckHandler: (handler: FakeElectron['permissionCheck']) => (fake.permissionCheck = handler),
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => fake.protocolHandlers.set(scheme, handler),
    },
    net: { fetch: async (url: string) => new Response(readFileSync(fileURLToPath(url))) },
    safeStorage: {
      isEncryptionAvailable: () => fake.encryption,
      getSelectedStorageBackend: () => fake.backend,
      // Reversible but not plain text, like the real thing from the outside.
      encryptString: (text: string) => Buffer.from(Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)),
      decryptString: (data: Buffer) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8'),
    },
    shell: { openExternal: async (url: string) => void fake.opened.push(url) },
    dialog: {
      showErrorBox: (title: string, content: string) => void fake.errorBoxes.push(`${title}: ${content}`),
      showMessageBox: async (...args: unknown[]) => {
        fake.dialogs.push({ options: args.at(-1) as Record<string, unknown> });
        return { response: fake.dialogResponse, checkboxChecked: false };
      },
    },
    Tray: FakeTray,
    Menu: { buildFromTemplate: (template: FakeMenuItem[]) => template },
    nativeImage: { createFromPath: (path: string) => ({ path }) },
    Notification: FakeNotification,
    powerMonitor: fake.powerMonitor,
    globalShortcut: {
      register: (accelerator: string, callback: () => void) => {
        if (fake.takenShortcuts.has(accelerator) || fake.shortcuts.has(accelerator)) return false;
        fake.shortcuts.set(accelerator, callback);
        return true;
      },
      unregister: (accelerator: string) => void fake.shortcuts.delete(accelerator),
    },
  } as unknown as ElectronMain;
  return fake;
}
