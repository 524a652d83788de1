/**
 * Where the renderer gets its `PhoneApi`. This is the only file that knows there are hosts:
 * the Electron preload has already put the API at `window.phone`; in a browser (the web host)
 * it is built over a WebSocket to the page's own origin. Everything else sees one `PhoneApi`
 * and one `ConnectionSource`.
 */
import { PhoneError } from '../../../shared/errors.js';
import { createPhoneApi, type PhoneApi, type PhoneTransport } from '../../../shared/phone-api.js';
import { takeAccessToken, rpcUrl, type TokenStorage } from './access-token.js';
import { alwaysConnected, type Connection, type ConnectionSource } from './connection.js';
import { createSocketTransport, type OpenSocket } from './socket-transport.js';
import { t } from './strings.js';

export interface PhoneLink {
  readonly api: PhoneApi;
  readonly connection: ConnectionSource;
}

let link: PhoneLink | undefined;

export function getPhone(): PhoneLink {
  link ??= window.phone !== undefined ? { api: window.phone, connection: alwaysConnected } : connectToWebHost();
  return link;
}

const openWebSocket: OpenSocket = (url, events) => {
  const ws = new WebSocket(url);
  ws.onopen = () => events.open();
  ws.onmessage = (event: MessageEvent<unknown>) => events.message(event.data);
  // 'error' is always followed by 'close', which carries what there is to know.
  ws.onclose = (event) => events.close(event.code, event.reason);
  return { send: (text) => ws.send(text), close: () => ws.close() };
};

function sessionStore(): TokenStorage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage disabled for this origin
  }
}

function connectToWebHost(): PhoneLink {
  const token = takeAccessToken(location, sessionStore(), history);
  if (token === undefined) return { api: createPhoneApi(noTransport), connection: noToken };
  const { transport, connection } = createSocketTransport({ url: rpcUrl(location, token), openSocket: openWebSocket });
  return { api: createPhoneApi(transport), connection };
}

const NO_TOKEN = t.connection.noToken;
const noToken: ConnectionSource = {
  current: (): Connection => ({ state: 'disconnected', reason: NO_TOKEN }),
  subscribe: () => () => undefined,
  reconnect: () => undefined,
};
const noTransport: PhoneTransport = {
  invoke: () => Promise.reject(new PhoneError('unavailable', NO_TOKEN)),
  subscribe: () => () => undefined,
};
