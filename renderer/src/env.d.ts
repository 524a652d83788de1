/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { PhoneApi } from '../../shared/phone-api.js';

declare global {
  interface Window {
    /** Put there by the Electron preload (contextBridge); absent in a browser. */
    readonly phone?: PhoneApi;
  }
}
