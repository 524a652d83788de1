/**
 * Start at login. Windows and macOS have `app.setLoginItemSettings`; on Linux Electron has no
 * such thing, so the app writes (or removes) an XDG autostart entry itself
 * (`$XDG_CONFIG_HOME/autostart/<name>.desktop`, Desktop Application Autostart Specification).
 * A start at login passes `--hidden`: the phone registers and waits in the tray.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ElectronMain } from './electron-api.js';

export const hiddenFlag = '--hidden';

export interface LoginItemTarget {
  platform: NodeJS.Platform;
  /** The program to start: the AppImage when run from one (its mount path changes at each run). */
  execPath: string;
  /** Arguments before `--hidden` (`electron .` needs the app folder in development). */
  args: readonly string[];
  env: NodeJS.ProcessEnv;
}

/** Quoting for an Exec key (Desktop Entry Specification, "The Exec key"). */
function execArgument(arg: string): string {
  return /^[A-Za-z0-9_\-./=:+,@%]+$/.test(arg) ? arg : `"${arg.replace(/(["`$\\])/g, '\\$1')}"`;
}

export function autostartEntry(appName: string, target: LoginItemTarget): string {
  const exec = [target.execPath, ...target.args, hiddenFlag].map(execArgument).join(' ').replace(/%/g, '%%');
  return ['[Desktop Entry]', 'Type=Application', `Name=${appName}`, `Exec=${exec}`, 'X-GNOME-Autostart-enabled=true', 'NoDisplay=true', ''].join('\n');
}

export function autostartFile(appName: string, env: NodeJS.ProcessEnv): string {
  const config = env['XDG_CONFIG_HOME'] ?? join(env['HOME'] ?? homedir(), '.config');
  return join(config, 'autostart', `${appName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.desktop`);
}

export function applyLoginItem(app: Pick<ElectronMain['app'], 'setLoginItemSettings'>, appName: string, enabled: boolean, target: LoginItemTarget): void {
  if (target.platform === 'linux') {
    const file = autostartFile(appName, target.env);
    if (enabled) {
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, autostartEntry(appName, { ...target, execPath: target.env['APPIMAGE'] ?? target.execPath }));
    } else {
      rmSync(file, { force: true });
    }
    return;
  }
  app.setLoginItemSettings({ openAtLogin: enabled, path: target.execPath, args: [...target.args, hiddenFlag] });
}

/** Started hidden: by the setting, or at login (our `--hidden`; macOS login items pass no arguments). */
export function startsHidden(argv: readonly string[], app: Pick<ElectronMain['app'], 'getLoginItemSettings'>, platform: NodeJS.Platform, setting: boolean): boolean {
  if (setting || argv.includes(hiddenFlag)) return true;
  return platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin === true;
}
