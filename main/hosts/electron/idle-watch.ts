/**
 * "Away after idle" (issue "Presence" point 2): the system's idle time (Electron
 * `powerMonitor.getSystemIdleTime()`, seconds without keyboard or mouse) is read on an interval;
 * past the threshold the core publishes "away" instead of "available", and "available" again
 * at the first activity. A locked screen counts as idle at once.
 */
import type { ElectronMain } from './electron-api.js';

export interface IdleWatchDeps {
  powerMonitor: Pick<ElectronMain['powerMonitor'], 'getSystemIdleTime' | 'on' | 'removeListener'>;
  /** Seconds without input before the user is away (default 300). */
  awayAfterSeconds?: number;
  pollMs?: number;
  userIdle: (idle: boolean) => void;
}

export function watchIdle(deps: IdleWatchDeps): () => void {
  const awayAfter = deps.awayAfterSeconds ?? 300;
  let idle = false;
  const set = (next: boolean) => {
    if (next === idle) return;
    idle = next;
    deps.userIdle(next);
  };
  const poll = setInterval(() => set(deps.powerMonitor.getSystemIdleTime() >= awayAfter), deps.pollMs ?? 15_000);
  poll.unref();
  const onLock = () => set(true);
  const onUnlock = () => set(deps.powerMonitor.getSystemIdleTime() >= awayAfter);
  deps.powerMonitor.on('lock-screen', onLock);
  deps.powerMonitor.on('unlock-screen', onUnlock);
  return () => {
    clearInterval(poll);
    deps.powerMonitor.removeListener('lock-screen', onLock);
    deps.powerMonitor.removeListener('unlock-screen', onUnlock);
  };
}
