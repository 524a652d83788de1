/**
 * Crash-safe restart of the main process. An exception nothing caught leaves the phone in an
 * unknown state (half-torn calls, timers gone), so the app starts again rather than limping on
 * — at most `maxRestarts` times in `windowMs`, after which it says why and quits instead of
 * looping. The restart is hidden when the window was (a crash must not pop the window up at
 * night), and never repeats a call link from the command line: that would dial it again.
 * The store survives a hard stop by itself (SQLite WAL, files written by rename).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/log.js';
import { isCallLinkArgument } from './call-link.js';
import type { ElectronMain } from './electron-api.js';
import { hiddenFlag } from './login-item.js';

export const crashHistoryFile = 'crashes.json';

export interface CrashGuardOptions {
  app: Pick<ElectronMain['app'], 'relaunch' | 'exit'>;
  showError: (title: string, content: string) => void;
  dataDir: string;
  /** The app's own arguments (without the executable), as given at start. */
  argv: readonly string[];
  windowVisible: () => boolean;
  log: Logger;
  now?: () => number;
  maxRestarts?: number;
  windowMs?: number;
}

/** The arguments a restart gets: no call link, `--hidden` when the window was hidden. */
export function restartArguments(argv: readonly string[], hidden: boolean): string[] {
  const linkAt = argv.findIndex(isCallLinkArgument);
  const kept = (linkAt < 0 ? argv : argv.slice(0, linkAt)).filter((arg) => arg !== hiddenFlag && arg !== '--');
  return hidden ? [...kept, hiddenFlag] : kept;
}

export class CrashGuard {
  private readonly file: string;

  constructor(private readonly options: CrashGuardOptions) {
    this.file = join(options.dataDir, crashHistoryFile);
  }

  /** What an uncaught exception leads to; returns whether the app restarts. */
  crashed(error: unknown): boolean {
    const { app, log } = this.options;
    const now = (this.options.now ?? Date.now)();
    const windowMs = this.options.windowMs ?? 10 * 60_000;
    const recent = [...this.history().filter((t) => now - t < windowMs), now];
    this.save(recent);
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log.error('main process crashed', { error: message, recentCrashes: recent.length });
    if (recent.length > (this.options.maxRestarts ?? 3)) {
      this.options.showError('The softphone stopped', `It failed ${recent.length} times in a few minutes and will not restart by itself.\n\n${message.slice(0, 2000)}`);
      app.exit(70);
      return false;
    }
    app.relaunch({ args: restartArguments(this.options.argv, !this.options.windowVisible()) });
    app.exit(70);
    return true;
  }

  /** Catches what nothing else did; returns the function that removes the handlers. */
  install(process: Pick<NodeJS.Process, 'on' | 'off'>): () => void {
    const onException = (error: Error) => void this.crashed(error);
    // A rejected promise nobody awaited is a bug to log, not a reason to drop the calls.
    const onRejection = (reason: unknown) => this.options.log.error('unhandled rejection', { error: String(reason) });
    process.on('uncaughtException', onException);
    process.on('unhandledRejection', onRejection);
    return () => {
      process.off('uncaughtException', onException);
      process.off('unhandledRejection', onRejection);
    };
  }

  private history(): number[] {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      return Array.isArray(parsed) ? parsed.filter((t): t is number => typeof t === 'number').slice(-16) : [];
    } catch {
      return [];
    }
  }

  private save(times: number[]): void {
    try {
      writeFileSync(`${this.file}.tmp`, JSON.stringify(times));
      renameSync(`${this.file}.tmp`, this.file);
    } catch (error) {
      this.options.log.warn('crash history not saved', { error: String(error) });
    }
  }
}
