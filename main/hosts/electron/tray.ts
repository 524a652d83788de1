/**
 * The tray icon and its menu. The icon says, in order of urgency: a call rings, a call is in
 * progress, Do Not Disturb, registered, not registered; a dot marks missed calls. The menu sets
 * our presence (through `presence.set`), calls back a recent call, opens the window and quits.
 */
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import type { OwnPresence } from '../../../shared/model.js';
import type { CallTracker } from './call-tracker.js';
import type { ElectronMain } from './electron-api.js';

export const trayIconNames = ['ringing', 'in-call', 'dnd', 'registered', 'offline'] as const;
export type TrayIconName = (typeof trayIconNames)[number];

export interface TrayLook {
  readonly icon: TrayIconName;
  readonly missed: number;
  readonly tooltip: string;
}

type TrackerView = Pick<CallTracker, 'ringing' | 'current' | 'accountStates' | 'presence' | 'missed' | 'recent'>;

export function trayLook(view: TrackerView, appName: string): TrayLook {
  const registered = view.accountStates.filter((a) => a.state === 'registered').length;
  const dnd = view.presence?.effective === 'dnd' || view.presence?.status === 'dnd';
  const ringing = view.ringing;
  const icon: TrayIconName =
    ringing !== undefined ? 'ringing' : view.current.length > 0 ? 'in-call' : dnd ? 'dnd' : registered > 0 ? 'registered' : 'offline';
  const lines = [appName];
  if (ringing !== undefined) lines.push(`Incoming call from ${ringing.remote.displayName ?? ringing.remote.uri}`);
  else if (icon === 'in-call') lines.push(view.current.length === 1 ? 'In a call' : `${view.current.length} calls`);
  else if (dnd) lines.push('Do not disturb');
  lines.push(registered > 0 ? `Registered (${registered} of ${view.accountStates.length})` : 'Not registered');
  if (view.missed > 0) lines.push(view.missed === 1 ? '1 missed call' : `${view.missed} missed calls`);
  return { icon, missed: view.missed, tooltip: lines.join('\n') };
}

export function trayIconFile(look: Pick<TrayLook, 'icon' | 'missed'>): string {
  return `${look.icon}${look.missed > 0 ? '-missed' : ''}.png`;
}

export type PresenceChoice = Extract<OwnPresence['status'], 'available' | 'away' | 'dnd'>;

export interface TrayMenuHandlers {
  setPresence(status: PresenceChoice): void;
  open(): void;
  callBack(uri: string): void;
  setStartAtLogin(on: boolean): void;
  setStartHidden(on: boolean): void;
  quit(): void;
}

export function trayMenuTemplate(
  view: TrackerView,
  settings: { startAtLogin: boolean; startHidden: boolean },
  handlers: TrayMenuHandlers,
): MenuItemConstructorOptions[] {
  const status = view.presence?.status;
  const presence = (label: string, choice: PresenceChoice): MenuItemConstructorOptions => ({
    label,
    type: 'radio',
    checked: status === choice,
    click: () => handlers.setPresence(choice),
  });
  const recent: MenuItemConstructorOptions[] = view.recent.map((call) => ({
    // Display names come from the network: a menu label is plain text, `&` escaped for Windows mnemonics.
    label: `${call.direction === 'incoming' ? '←' : '→'} ${(call.remote.displayName ?? call.remote.uri).slice(0, 64).replace(/&/g, '&&')}`,
    click: () => handlers.callBack(call.remote.uri),
  }));
  return [
    { label: 'Open', click: () => handlers.open() },
    { type: 'separator' },
    presence('Available', 'available'),
    presence('Away', 'away'),
    presence('Do not disturb', 'dnd'),
    { type: 'separator' },
    { label: 'Recent calls', enabled: recent.length > 0, submenu: recent.length > 0 ? recent : [{ label: 'None', enabled: false }] },
    { type: 'separator' },
    { label: 'Start at login', type: 'checkbox', checked: settings.startAtLogin, click: (item) => handlers.setStartAtLogin(item.checked) },
    { label: 'Start hidden', type: 'checkbox', checked: settings.startHidden, click: (item) => handlers.setStartHidden(item.checked) },
    { type: 'separator' },
    { label: 'Quit', click: () => handlers.quit() },
  ];
}

type TrayInstance = InstanceType<ElectronMain['Tray']>;

/** Keeps the tray in step with the tracker; the menu is rebuilt only when what it shows changed. */
export class TrayController {
  private readonly tray: TrayInstance;
  private lastIcon = '';
  private lastMenu = '';
  private readonly stop: () => void;

  constructor(
    private readonly electron: Pick<ElectronMain, 'Tray' | 'Menu' | 'nativeImage' | 'app'>,
    private readonly iconDir: string,
    private readonly tracker: CallTracker,
    private readonly settings: () => { startAtLogin: boolean; startHidden: boolean },
    private readonly handlers: TrayMenuHandlers,
    private readonly appName: string,
  ) {
    this.tray = new electron.Tray(this.image(trayIconFile({ icon: 'offline', missed: 0 })));
    // A left click opens the window (Windows, Linux); macOS shows the menu on click by itself.
    this.tray.on('click', () => handlers.open());
    this.stop = tracker.onChange(() => this.update());
    this.update();
  }

  update(): void {
    const look = trayLook(this.tracker, this.appName);
    const file = trayIconFile(look);
    if (file !== this.lastIcon) {
      this.tray.setImage(this.image(file));
      this.lastIcon = file;
    }
    this.tray.setToolTip(look.tooltip);
    this.electron.app.setBadgeCount(look.missed);
    const settings = this.settings();
    const menuKey = JSON.stringify([this.tracker.presence?.status, this.tracker.recent.map((c) => c.id), settings]);
    if (menuKey !== this.lastMenu) {
      this.tray.setContextMenu(this.electron.Menu.buildFromTemplate(trayMenuTemplate(this.tracker, settings, this.handlers)));
      this.lastMenu = menuKey;
    }
  }

  destroy(): void {
    this.stop();
    this.tray.destroy();
  }

  private image(file: string) {
    return this.electron.nativeImage.createFromPath(join(this.iconDir, file));
  }
}
