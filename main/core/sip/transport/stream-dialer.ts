/**
 * Opening a TCP or TLS connection to a destination (RFC 3261 §18.1.1, RFC 5922). Resolves once
 * the connection can carry SIP — for TLS, after the peer's certificate was accepted — and
 * rejects with a `TransportError` otherwise.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Destination } from '../locator/index.js';
import { checkPeer, tlsConnectOptions, tlsErrorCode, type TlsClientOptions } from './tls-options.js';
import { TransportError } from './transport-error.js';

export interface DialOptions {
  readonly connectTimeoutMs: number;
  readonly tls: TlsClientOptions;
}

function connectError(error: unknown, isTls: boolean): TransportError {
  if (error instanceof TransportError) return error;
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNREFUSED') return new TransportError('connection_refused', 'connection refused', { cause: error });
  if (isTls && typeof code === 'string' && (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))) {
    return new TransportError(tlsErrorCode(code), `TLS handshake failed: ${code}`, { cause: error });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new TransportError(isTls ? 'tls_failed' : 'connect_failed', `cannot connect: ${text}`, { cause: error });
}

export function dialStream(destination: Destination, options: DialOptions): Promise<net.Socket> {
  const isTls = destination.transport === 'tls';
  return new Promise<net.Socket>((resolve, reject) => {
    const socket = isTls
      ? tls.connect(tlsConnectOptions(destination.address, destination.port, destination.serverName, options.tls))
      : net.connect({ host: destination.address, port: destination.port });
    let settled = false;
    const fail = (error: TransportError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => {
      fail(new TransportError('connect_timeout', `no connection within ${options.connectTimeoutMs} ms`));
    }, options.connectTimeoutMs);
    const onError = (error: Error): void => fail(connectError(error, isTls));
    const onClose = (): void => fail(new TransportError('connect_failed', 'connection closed while opening'));
    socket.on('error', onError);
    socket.once('close', onClose);
    socket.once(isTls ? 'secureConnect' : 'connect', () => {
      if (settled) return;
      const refused = isTls ? checkPeer(socket as tls.TLSSocket, options.tls) : undefined;
      if (refused !== undefined) {
        fail(refused);
        return;
      }
      settled = true;
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off('close', onClose);
      resolve(socket);
    });
  });
}
