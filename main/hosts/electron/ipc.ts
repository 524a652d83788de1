/**
 * The contract over Electron IPC: one `ipcMain.handle` channel per contract method
 * (`phone:accounts.add`...), no generic channel. Every message is checked: the sender must be
 * the main frame of our window showing our own page, and the payload goes through the
 * contract's schemas (VS Code's validated-IPC habit).
 */
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { methodNames, type EventName } from '../../../shared/contract.js';
import type { Logger } from '../../core/log.js';
import type { ContractBridge, Outcome } from '../bridge.js';
import { channelOf, eventChannel } from './channels.js';
import type { ElectronMain } from './electron-api.js';
import { appOrigin } from './window.js';


/** A frame may use the contract only if it is the top frame of a window we made, on our page. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, trusted: (contents: WebContents) => boolean): boolean {
  const frame = event.senderFrame;
  if (frame === null || frame.parent !== null) return false;
  if (!trusted(event.sender)) return false;
  try {
    // Not `URL.origin`: Node gives "null" as the origin of a non-special scheme like app:.
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === appOrigin;
  } catch {
    return false;
  }
}

export function registerContractIpc(
  ipcMain: ElectronMain['ipcMain'],
  bridge: ContractBridge,
  trusted: (contents: WebContents) => boolean,
  log: Logger,
): () => void {
  for (const method of methodNames) {
    ipcMain.handle(channelOf(method), async (event, params: unknown): Promise<Outcome> => {
      if (!isTrustedSender(event, trusted)) {
        log.warn('IPC from an untrusted frame refused', { method, url: event.senderFrame?.url ?? null });
        return { ok: false, error: { code: 'unavailable', message: 'not allowed from this frame' } };
      }
      return bridge.invoke(method, params);
    });
  }
  return () => methodNames.forEach((method) => ipcMain.removeHandler(channelOf(method)));
}

/** Core events → the window, on one channel the preload listens to. */
export function forwardEvent(contents: WebContents, name: EventName, payload: unknown): void {
  if (!contents.isDestroyed()) contents.send(eventChannel, name, payload);
}
