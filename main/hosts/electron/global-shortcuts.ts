/**
 * System-wide shortcuts for answer, hang up and mute. Only our own accelerators are
 * unregistered (never `unregisterAll`), and one another application already holds is reported
 * rather than fatal: the others still work.
 */
import type { Logger } from '../../core/log.js';
import type { DesktopSettings } from './desktop-settings.js';
import type { ElectronMain } from './electron-api.js';

export type ShortcutAction = keyof DesktopSettings['shortcuts'];

export interface ShortcutReport {
  registered: ShortcutAction[];
  /** Taken by another application, or refused by the OS (e.g. Wayland without the portal). */
  failed: ShortcutAction[];
}

export class GlobalShortcuts {
  private readonly mine = new Set<string>();

  constructor(
    private readonly globalShortcut: Pick<ElectronMain['globalShortcut'], 'register' | 'unregister'>,
    private readonly actions: Record<ShortcutAction, () => void>,
    private readonly log: Logger,
  ) {}

  /** Replaces what was registered by this configuration. */
  apply(config: DesktopSettings['shortcuts']): ShortcutReport {
    this.clear();
    const report: ShortcutReport = { registered: [], failed: [] };
    for (const action of Object.keys(this.actions) as ShortcutAction[]) {
      const accelerator = config[action];
      if (accelerator === null) continue;
      let ok = false;
      try {
        ok = this.globalShortcut.register(accelerator, this.actions[action]);
      } catch (error) {
        this.log.warn('global shortcut refused', { action, accelerator, error: String(error) });
      }
      if (ok) {
        this.mine.add(accelerator);
        report.registered.push(action);
      } else {
        report.failed.push(action);
      }
    }
    if (report.failed.length > 0) this.log.warn('global shortcuts not available', { actions: report.failed });
    return report;
  }

  clear(): void {
    for (const accelerator of this.mine) this.globalShortcut.unregister(accelerator);
    this.mine.clear();
  }
}
