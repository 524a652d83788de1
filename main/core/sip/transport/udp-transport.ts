/**
 * One UDP listening point (RFC 3261 §18): a dgram socket, each datagram one message (§18.3).
 * Responses go out of the socket the request came in on, as RFC 3581 §4 requires for rport.
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { TransportError } from './transport-error.js';

export interface UdpTransportDelegate {
  onDatagram(transport: UdpTransport, bytes: Uint8Array, address: string, port: number): void;
}

export class UdpTransport {
  private constructor(
    private readonly socket: dgram.Socket,
    readonly address: string,
    readonly port: number,
  ) {}

  get family(): 'IPv4' | 'IPv6' {
    return isIPv6(this.address) ? 'IPv6' : 'IPv4';
  }

  /** Binds `address:port` (0 for an ephemeral port). */
  static bind(address: string, port: number, delegate: UdpTransportDelegate): Promise<UdpTransport> {
    const socket = dgram.createSocket({ type: isIPv6(address) ? 'udp6' : 'udp4', ipv6Only: isIPv6(address) });
    return new Promise<UdpTransport>((resolve, reject) => {
      const onError = (error: Error): void => {
        socket.close();
        reject(new TransportError('no_listening_point', `cannot bind UDP ${address}:${port}: ${error.message}`, { cause: error }));
      };
      socket.once('error', onError);
      socket.bind(port, address, () => {
        socket.off('error', onError);
        // An ICMP error on a send surfaces here on some systems; the send callback reports it.
        socket.on('error', () => undefined);
        const bound = socket.address();
        const transport = new UdpTransport(socket, bound.address, bound.port);
        socket.on('message', (message, rinfo) => delegate.onDatagram(transport, message, rinfo.address, rinfo.port));
        resolve(transport);
      });
    });
  }

  send(bytes: Uint8Array, address: string, port: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        this.socket.send(bytes, port, address, (error) => {
          if (error === null || error === undefined) resolve();
          else reject(new TransportError('send_failed', error.message, { cause: error }));
        });
      } catch (error) {
        reject(new TransportError('send_failed', error instanceof Error ? error.message : String(error), { cause: error }));
      }
    });
  }

  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}
