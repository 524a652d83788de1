/**
 * One real device of the bridge (its microphone or its speaker), kept open while wanted, on the
 * device chosen, and kept alive through failures — a call must never drop because of a device:
 *
 *   closed ──want──▶ opening ──ok──▶ open ──error──▶ (chosen failed) opening the default
 *     ▲                 │                              (default failed) waiting ──delay──▶ opening
 *     └───unwant────────┴──────────────────────────────────────────────────────────┘
 *
 * - the chosen device fails to open, or fails while running: the system default is opened
 *   instead (deviceId undefined) and `onDeviceFallback` says so;
 * - the default fails too: `onDeviceError` with the delay of the next attempt, doubling up to
 *   `maxDelayMs`, at most `maxAttempts` times (then `retryInMs` undefined: given up until the
 *   next `update`). The bridge meanwhile ticks on its own timer.
 *
 * Requests are applied one at a time, in order; an open that a later request overtook is closed.
 */
import { AudioDeviceError } from '../audio-driver.js';

export type DeviceKind = 'input' | 'output';

export interface DeviceSlotDelegate {
  /** `failedId` could not be used; the system default is in use instead. */
  onDeviceFallback?(kind: DeviceKind, failedId: string, error: AudioDeviceError): void;
  /** No device of this kind could be opened; another try in `retryInMs`, or none (undefined). */
  onDeviceError?(kind: DeviceKind, error: AudioDeviceError, retryInMs: number | undefined): void;
}

export interface RetryPolicy {
  /** First retry after this long (default 500 ms), doubling after each failure. */
  readonly firstDelayMs?: number;
  /** Longest wait between retries (default 8000 ms). */
  readonly maxDelayMs?: number;
  /** Retries before giving up (default 8). */
  readonly maxAttempts?: number;
}

interface Stoppable {
  stop(): Promise<void>;
}

export interface DeviceSlotOptions<D extends Stoppable> {
  readonly kind: DeviceKind;
  open(deviceId: string | undefined): Promise<D>;
  /** Starts a freshly opened device; `onError` reports its failure. */
  start(device: D, onError: (error: AudioDeviceError) => void): void;
  /** The device in use went away (closed or failed). */
  onLost(device: D): void;
  readonly delegate: DeviceSlotDelegate;
  readonly retry?: RetryPolicy;
}

interface OpenDevice<D> {
  readonly device: D;
  /** The device asked for when it opened (the default may be standing in for it). */
  readonly chosen: string | undefined;
  /** The device actually open. */
  readonly actual: string | undefined;
}

export class DeviceSlot<D extends Stoppable> {
  private wanted = false;
  private chosen: string | undefined;
  private current: OpenDevice<D> | undefined;
  /** The chosen device just failed: go to the default without trying it again at once. */
  private skipChosen = false;
  /** Why the chosen device is not in use, to report with the fallback. */
  private failure: AudioDeviceError | undefined;
  private generation = 0;
  private queue: Promise<void> = Promise.resolve();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;

  constructor(private readonly options: DeviceSlotOptions<D>) {}

  /** The device open now, if any. */
  get device(): D | undefined {
    return this.current?.device;
  }

  /** The id of the device open now: undefined for the system default; null when none is open. */
  get deviceInUse(): string | undefined | null {
    return this.current === undefined ? null : this.current.actual;
  }

  /** Whether a retry is waiting. */
  get retrying(): boolean {
    return this.retryTimer !== undefined;
  }

  /** Open (`wanted`) `deviceId`, or close; resolves once applied. A new request starts retries afresh. */
  update(wanted: boolean, deviceId: string | undefined): Promise<void> {
    this.wanted = wanted;
    this.chosen = deviceId;
    this.attempts = 0;
    this.skipChosen = false;
    this.failure = undefined;
    return this.schedule();
  }

  private schedule(): Promise<void> {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const generation = ++this.generation;
    this.queue = this.queue.then(() => this.apply(generation)).catch(() => {});
    return this.queue;
  }

  private async apply(generation: number): Promise<void> {
    if (generation !== this.generation) return;
    const current = this.current;
    if (current !== undefined && (!this.wanted || current.chosen !== this.chosen)) {
      this.current = undefined;
      this.options.onLost(current.device);
      await stopQuietly(current.device);
    }
    if (!this.wanted || this.current !== undefined || generation !== this.generation) return;
    const candidates = this.chosen !== undefined && !this.skipChosen ? [this.chosen, undefined] : [undefined];
    let lastError: AudioDeviceError | undefined;
    for (const id of candidates) {
      let device: D;
      try {
        device = await this.options.open(id);
      } catch (error) {
        lastError = asDeviceError(error);
        if (id !== undefined) this.failure = lastError;
        continue;
      }
      if (generation !== this.generation) {
        // A later request overtook this one; it is queued next and decides afresh.
        await stopQuietly(device);
        return;
      }
      this.open(device, id);
      return;
    }
    if (generation === this.generation) this.retryLater(lastError ?? new AudioDeviceError('open_failed', `no ${this.options.kind} device`));
  }

  private open(device: D, id: string | undefined): void {
    const chosen = this.chosen;
    this.current = { device, chosen, actual: id };
    this.attempts = 0;
    if (id === undefined && chosen !== undefined) {
      this.options.delegate.onDeviceFallback?.(this.options.kind, chosen, this.failure ?? new AudioDeviceError('open_failed', `${chosen} is not available`));
    }
    this.failure = undefined;
    try {
      this.options.start(device, (error) => this.failed(device, error));
    } catch (error) {
      this.failed(device, asDeviceError(error));
    }
  }

  private failed(device: D, error: AudioDeviceError): void {
    const current = this.current;
    // A device closed on purpose, or replaced, may still report: only the one in use counts.
    if (current === undefined || current.device !== device) return;
    this.current = undefined;
    this.options.onLost(device);
    void stopQuietly(device);
    if (current.actual !== undefined) {
      this.skipChosen = true;
      this.failure = error;
      void this.schedule();
      return;
    }
    // The default itself failed: reopening it at once could loop as fast as it fails.
    this.retryLater(error);
  }

  private retryLater(error: AudioDeviceError): void {
    const retry = this.options.retry ?? {};
    if (this.attempts >= (retry.maxAttempts ?? 8)) {
      this.options.delegate.onDeviceError?.(this.options.kind, error, undefined);
      return;
    }
    const delay = Math.min((retry.firstDelayMs ?? 500) * 2 ** this.attempts, retry.maxDelayMs ?? 8000);
    this.attempts++;
    this.options.delegate.onDeviceError?.(this.options.kind, error, delay);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      // The chosen device may be back (plugged in again): try it first once more.
      this.skipChosen = false;
      void this.schedule();
    }, delay);
  }
}

function asDeviceError(error: unknown): AudioDeviceError {
  if (error instanceof AudioDeviceError) return error;
  return new AudioDeviceError('open_failed', error instanceof Error ? error.message : String(error), { cause: error });
}

async function stopQuietly(device: Stoppable): Promise<void> {
  try {
    await device.stop();
  } catch {
    // Closing a device that failed may fail as well; it is gone either way.
  }
}
