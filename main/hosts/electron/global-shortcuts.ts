/**
 * System-wide shortcuts for answer, hang up and mute. Only our own accelerators are
 * unregistered (never `unregisterAll`), and one another application already holds is reported
 * rather than fatal: the others still work.
 */
import type { EventSink } from '../../../shared/contract.js';
import { acceleratorKey } from '../../../shared/accelerator.js';
import { DEFAULT_SHORTCUTS, type Preferences, type Shortcuts } from '../../../shared/model.js';
import type { Logger } from '../../core/log.js';
import type { ElectronMain } from './electron-api.js';

export type ShortcutAction = keyof Shortcuts;

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
  apply(config: Shortcuts): ShortcutReport {
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

function sameShortcuts(a: Shortcuts, b: Shortcuts): boolean {
  return (Object.keys(a) as ShortcutAction[]).every((action) => {
    const x = a[action];
    const y = b[action];
    return x === null || y === null ? x === y : acceleratorKey(x) === acceleratorKey(y);
  });
}

export interface ShortcutPreferencesOptions {
  readonly shortcuts: GlobalShortcuts;
  /** The core's preferences (through the contract); undefined when a request fails. */
  readonly getPreferences: () => Promise<Preferences | undefined>;
  readonly setShortcuts: (shortcuts: Shortcuts) => Promise<Preferences | undefined>;
  readonly subscribe: (sink: EventSink) => () => void;
  /** The shortcuts of desktop.json, where an earlier version kept them. */
  readonly legacy: Shortcuts;
  readonly log: Logger;
}

/**
 * Registers the shortcuts the preferences name (Settings edits them) and registers them again
 * whenever they change. Shortcuts still set in desktop.json (an earlier version's place for
 * them) are carried over once, while the preference is the default. Returns what stops it.
 */
export async function followShortcutPreferences(options: ShortcutPreferencesOptions): Promise<() => void> {
  const { shortcuts, log } = options;
  let current = (await options.getPreferences())?.shortcuts ?? DEFAULT_SHORTCUTS;
  if (sameShortcuts(current, DEFAULT_SHORTCUTS) && !sameShortcuts(options.legacy, DEFAULT_SHORTCUTS)) {
    const moved = await options.setShortcuts(options.legacy);
    if (moved === undefined) log.warn('the shortcuts of desktop.json were not carried over (a duplicate?)', { shortcuts: options.legacy });
    else current = moved.shortcuts;
  }
  shortcuts.apply(current);
  return options.subscribe((name, payload) => {
    if (name !== 'preferences') return;
    const next = (payload as Preferences).shortcuts;
    if (sameShortcuts(next, current)) return;
    current = next;
    shortcuts.apply(next);
  });
}
