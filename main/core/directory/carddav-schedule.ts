/**
 * When the CardDAV address book syncs by itself: shortly after start and then every
 * `syncIntervalMinutes`; soon after the user changed a synced contact (so the change goes up
 * even with the interval off); after a failure again sooner than the interval, backing off
 * (1, 2, 4 … minutes, never later than the interval). A sync asked for by the user counts as
 * one: the next is due an interval after it.
 *
 * ```
 *        start / configure(n > 0) / changed()
 *   off ───────────────────────────────────────▶ waiting ──timer / sync asked──▶ syncing
 *    ▲                                            ▲   │                           │
 *    │   configure(0 or none), nothing pending    │   │ configure(0 or none)      │ completed(ok | failed):
 *    └────────────────────────────────────────────┼───┘                           │ interval, change delay,
 *    └────────────────────────────────────────────┴───────────────────────────────┘ backoff, or off
 *   any ──close()──▶ closed
 * ```
 */
export type CardDavScheduleState = 'off' | 'waiting' | 'syncing' | 'closed';

export interface CardDavScheduleOptions {
  /** From start (or new settings) to the first sync; default 5 s, so start-up is not slowed. */
  startDelayMs?: number;
  /** From a local change to the sync that sends it; default 2 s, so a burst of edits goes in one. */
  changeDelayMs?: number;
  /** The first retry after a failure; doubled at each further failure; default 1 min. */
  firstRetryMs?: number;
  /** The longest wait between retries when no interval is set; default 60 min. */
  maxRetryMs?: number;
}

const MINUTE = 60_000;

export class CardDavSchedule {
  private state: CardDavScheduleState = 'off';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dueAt: number | undefined;
  /** 0: off; undefined: no address book set up. */
  private intervalMs: number | undefined;
  private failures = 0;
  /** A local change waits to be sent (cleared by a sync that succeeds). */
  private changePending = false;
  /** A local change came while a sync was running: it may not have been in it. */
  private changedWhileSyncing = false;

  constructor(
    /** Starts a sync; its end is reported through `completed`. */
    private readonly run: () => void,
    private readonly options: CardDavScheduleOptions = {},
  ) {}

  get current(): CardDavScheduleState {
    return this.state;
  }

  /** When the next sync is due (epoch ms), if one is. */
  get nextAt(): number | undefined {
    return this.state === 'waiting' ? this.dueAt : undefined;
  }

  /** The phone started: with an interval, the first sync comes shortly after. */
  start(intervalMinutes: number | undefined): void {
    this.intervalMs = intervalMinutes === undefined ? undefined : intervalMinutes * MINUTE;
    if (this.intervalMs !== undefined && this.intervalMs > 0) this.waitFor(this.options.startDelayMs ?? 5_000);
  }

  /** New settings (undefined: the address book was removed): syncs soon with them, or stops. */
  configure(intervalMinutes: number | undefined): void {
    this.intervalMs = intervalMinutes === undefined ? undefined : intervalMinutes * MINUTE;
    this.failures = 0;
    if (this.intervalMs === undefined) this.changePending = false;
    if (this.state === 'syncing' || this.state === 'closed') return;
    if (this.intervalMs !== undefined && (this.intervalMs > 0 || this.changePending)) this.waitFor(this.options.startDelayMs ?? 5_000);
    else this.transition('off');
  }

  /** The user changed a contact of the address book: a sync sends it soon. */
  changed(): void {
    if (this.intervalMs === undefined || this.state === 'closed') return;
    this.changePending = true;
    if (this.state === 'syncing') {
      this.changedWhileSyncing = true;
      return;
    }
    const delay = this.options.changeDelayMs ?? 2_000;
    if (this.state === 'off' || this.dueAt === undefined || this.dueAt > Date.now() + delay) this.waitFor(delay);
  }

  /** A sync began (ours, or one the user asked for). */
  started(): void {
    if (this.state === 'closed') return;
    this.changedWhileSyncing = false;
    this.transition('syncing');
  }

  /** A sync ended: the next one is due after the interval, a change's delay, or a backoff. */
  completed(ok: boolean): void {
    if (this.state === 'closed') return;
    this.state = 'off';
    if (this.intervalMs === undefined) return;
    if (ok) {
      this.failures = 0;
      this.changePending = this.changedWhileSyncing;
      if (this.changePending) this.waitFor(this.options.changeDelayMs ?? 2_000);
      else if (this.intervalMs > 0) this.waitFor(this.intervalMs);
      return;
    }
    this.failures++;
    // Retry when something is due: a periodic sync, or a change of ours not yet sent.
    if (this.intervalMs === 0 && !this.changePending) return;
    const ceiling = this.intervalMs > 0 ? this.intervalMs : (this.options.maxRetryMs ?? 60 * MINUTE);
    const backoff = (this.options.firstRetryMs ?? MINUTE) * 2 ** Math.min(this.failures - 1, 20);
    this.waitFor(Math.min(backoff, ceiling));
  }

  close(): void {
    this.transition('closed');
  }

  private waitFor(delayMs: number): void {
    this.transition('waiting', delayMs);
  }

  /** The one place the state changes; a closed schedule stays closed. */
  private transition(to: CardDavScheduleState, delayMs = 0): void {
    if (this.state === 'closed') return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.dueAt = undefined;
    this.state = to;
    switch (to) {
      case 'waiting':
        this.dueAt = Date.now() + delayMs;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.run();
        }, delayMs);
        // A waiting sync never keeps the process alive (the CLI host exits when done).
        this.timer.unref?.();
        break;
      case 'off':
      case 'syncing':
      case 'closed':
        break;
    }
  }
}
