/**
 * The slice of Electron's main-process API the host uses. The host receives it as a value
 * (the real `electron` module in the app, a fake in tests), since the Electron binary cannot
 * run on the machines that build and test this project.
 */
import type * as Electron from 'electron';

export type ElectronMain = Pick<
  typeof Electron,
  | 'app'
  | 'BrowserWindow'
  | 'ipcMain'
  | 'session'
  | 'protocol'
  | 'net'
  | 'safeStorage'
  | 'shell'
  | 'dialog'
  | 'Tray'
  | 'Menu'
  | 'nativeImage'
  | 'Notification'
  | 'powerMonitor'
  | 'globalShortcut'
>;
export type BrowserWindowInstance = InstanceType<ElectronMain['BrowserWindow']>;
