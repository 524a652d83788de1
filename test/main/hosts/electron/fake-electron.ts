/**
 * A stand-in for the parts of Electron's main-process API the host uses, recording what the
 * host does with them. The Electron binary cannot run on the machines that test this project.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ElectronMain } from '../../../../main/hosts/electron/electron-api.js';

type Listener = (...args: never[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (...a: unknown[]) => unknown)(...args);
  }
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
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
  }
  isDestroyed(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {}
  focus(): void {
    this.focused = true;
  }
}

export interface FakeElectron {
  module: ElectronMain;
  app: Emitter & { quitCalls: number; lock: boolean; userData: string };
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>;
  privilegedSchemes: unknown[];
  protocolHandlers: Map<string, (request: Request) => Promise<Response>>;
  permissionRequest?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
  permissionCheck?: () => boolean;
  opened: string[];
  encryption: boolean;
}

export function fakeElectron(userData: string): FakeElectron {
  FakeBrowserWindow.instances.length = 0;
  const fake: FakeElectron = {
    module: undefined as unknown as ElectronMain,
    app: Object.assign(new Emitter(), { quitCalls: 0, lock: true, userData }),
    ipcHandlers: new Map(),
    privilegedSchemes: [],
    protocolHandlers: new Map(),
    opened: [],
    encryption: true,
  };
  const app = Object.assign(fake.app, {
    isPackaged: false,
    requestSingleInstanceLock: () => fake.app.lock,
    quit: () => void fake.app.quitCalls++,
    whenReady: async () => {},
    getPath: (name: string) => (name === 'userData' ? fake.app.userData : '/nonexistent'),
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
      // Reversible but not plain text, like the real thing from the outside.
      encryptString: (text: string) => Buffer.from(Buffer.from(text, 'utf8').map((b) => b ^ 0x5a)),
      decryptString: (data: Buffer) => Buffer.from(data.map((b) => b ^ 0x5a)).toString('utf8'),
    },
    shell: { openExternal: async (url: string) => void fake.opened.push(url) },
  } as unknown as ElectronMain;
  return fake;
}
