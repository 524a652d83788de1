/**
 * The preload (sandboxed: bundled to one CommonJS file that requires only `electron`). It
 * exposes `window.phone`: one named function per contract method plus `on(event, handler)`,
 * built from the contract — never a generic send/invoke.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { eventNames, isEventName, type EventName } from '../../../shared/names.js';
import { createPhoneApi } from '../../../shared/phone-api.js';
import { channelOf, eventChannel } from './channels.js';

const listeners = new Map<EventName, Set<(payload: unknown) => void>>(eventNames.map((name) => [name, new Set()]));

ipcRenderer.on(eventChannel, (_event, name: unknown, payload: unknown) => {
  if (!isEventName(name)) return;
  for (const handler of listeners.get(name) ?? []) handler(payload);
});

const phone = createPhoneApi({
  async invoke(method, params) {
    const outcome = (await ipcRenderer.invoke(channelOf(method), params)) as
      | { ok: true; result: unknown }
      | { ok: false; error: unknown };
    // contextBridge would strip an Error's own fields, so reject with the plain payload.
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  },
  subscribe(event, handler) {
    const set = listeners.get(event);
    set?.add(handler);
    return () => void set?.delete(handler);
  },
});

contextBridge.exposeInMainWorld('phone', phone);
