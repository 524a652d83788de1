/**
 * Alerts for a ringing call beyond the window: an OS notification (with Answer and Decline
 * buttons on macOS, the only platform where Electron delivers notification actions; a click
 * brings the window forward everywhere) and, as an option, the window itself brought forward
 * on top of the others. The core rings on the ringer device; the notification is silent so the
 * two do not compete. Every alert goes away as soon as the call stops ringing here — answered
 * here or on another device, declined, or cancelled by the caller.
 */
import type { NotificationConstructorOptions } from 'electron';
import type { CallView } from '../../../shared/model.js';
import type { Logger } from '../../core/log.js';
import type { ElectronMain } from './electron-api.js';

type NotificationInstance = InstanceType<ElectronMain['Notification']>;

export interface IncomingAlertDeps {
  Notification: Pick<ElectronMain['Notification'], 'isSupported'> & (new (options: NotificationConstructorOptions) => NotificationInstance);
  platform: NodeJS.Platform;
  answer(callId: string): void;
  decline(callId: string): void;
  /** Bring the window forward (a click on the notification). */
  focus(): void;
  /** While any call rings: the incoming-call window option (on = ringing). */
  ringingWindow(on: boolean): void;
  settings(): { notifications: boolean; incomingCallWindow: boolean };
  appName: string;
  log: Logger;
}

export function notificationOptions(call: CallView, platform: NodeJS.Platform, appName: string): NotificationConstructorOptions {
  const who = call.remote.displayName ?? call.remote.uri;
  return {
    title: call.waiting === true ? 'Call waiting' : 'Incoming call',
    // Shown as text by the OS; the display name comes from the network, so it is trimmed.
    body: call.remote.displayName === undefined ? who.slice(0, 256) : `${who.slice(0, 128)}\n${call.remote.uri.slice(0, 128)}`,
    silent: true,
    urgency: 'critical',
    timeoutType: 'never',
    ...(platform === 'darwin'
      ? { actions: [{ type: 'button' as const, text: 'Answer' }, { type: 'button' as const, text: 'Decline' }], closeButtonText: 'Ignore' }
      : {}),
    subtitle: appName,
  };
}

export class IncomingAlerts {
  private readonly shown = new Map<string, NotificationInstance>();
  private readonly ringing = new Set<string>();
  private raised = false;

  constructor(private readonly deps: IncomingAlertDeps) {}

  /** Feed `call.incoming` and every `call.state`. */
  call(call: CallView): void {
    const ringingNow = call.direction === 'incoming' && call.state === 'incoming';
    if (ringingNow && !this.ringing.has(call.id)) this.start(call);
    else if (!ringingNow && this.ringing.has(call.id)) this.stop(call.id);
  }

  /** Everything withdrawn (quit). */
  clear(): void {
    for (const id of [...this.ringing]) this.stop(id);
  }

  private start(call: CallView): void {
    const { deps } = this;
    this.ringing.add(call.id);
    const settings = deps.settings();
    if (settings.incomingCallWindow && !this.raised) {
      this.raised = true;
      deps.ringingWindow(true);
    }
    if (!settings.notifications || !deps.Notification.isSupported()) return;
    const notification = new deps.Notification(notificationOptions(call, deps.platform, deps.appName));
    notification.on('action', (_event, index) => {
      if (index === 0) deps.answer(call.id);
      else if (index === 1) deps.decline(call.id);
    });
    notification.on('click', () => deps.focus());
    notification.on('failed', (_event, error) => deps.log.warn('incoming call notification failed', { error }));
    // Held in the map: a notification object that is garbage-collected loses its event handlers.
    this.shown.set(call.id, notification);
    notification.show();
  }

  private stop(callId: string): void {
    this.ringing.delete(callId);
    this.shown.get(callId)?.close();
    this.shown.delete(callId);
    if (this.ringing.size === 0 && this.raised) {
      this.raised = false;
      this.deps.ringingWindow(false);
    }
  }
}
