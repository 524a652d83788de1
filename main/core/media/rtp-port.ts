/**
 * A UDP port for a call's RTP, held from the offer until the call ends, so the port our SDP
 * names is really ours. RFC 3550 §11: RTP on an even port, RTCP on the next (odd) one — both
 * are bound, unless rtcp-mux is used later.
 */
import { createSocket, type Socket, type SocketOptions } from 'node:dgram';
import { lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';

export interface RtpPort {
  readonly address: string;
  readonly port: number;
  readonly rtp: Socket;
  readonly rtcp: Socket;
  close(): void;
}

export interface RtpPortRange {
  readonly min: number;
  readonly max: number;
}

export const defaultRtpPortRange: RtpPortRange = { min: 16384, max: 32766 };

type Lookup = NonNullable<SocketOptions['lookup']>;

/** The last address `numericLookup` saw, and its family: a call sends to one address. */
let lastAddress = '';
let lastFamily = 0;

/**
 * dgram resolves the address of every `send()` (the socket is not connected: connecting would
 * end RTP latching, RFC 4961); dns.lookup answers even a numeric one only on the next tick, after
 * checking it again. Numeric addresses, what SDP nearly always gives, are answered here at once;
 * names still go to dns.lookup.
 */
const numericLookup: Lookup = (hostname, options, callback) => {
  if (hostname !== lastAddress) {
    const family = isIP(hostname);
    if (family === 0) {
      dnsLookup(hostname, options, callback);
      return;
    }
    lastAddress = hostname;
    lastFamily = family;
  }
  callback(null, hostname, lastFamily);
};

function bind(socket: Socket, port: number, address: string): Promise<boolean> {
  return new Promise((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, address, () => resolve(true));
  });
}

export async function allocateRtpPort(address: string, range: RtpPortRange = defaultRtpPortRange, random: () => number = Math.random): Promise<RtpPort> {
  const type = isIP(address) === 6 ? 'udp6' : 'udp4';
  const evens = Math.floor((range.max - range.min) / 2);
  for (let attempt = 0; attempt < 64; attempt++) {
    const port = range.min + 2 * Math.floor(random() * evens);
    const rtp = createSocket({ type, lookup: numericLookup });
    if (!(await bind(rtp, port, address))) {
      rtp.close();
      continue;
    }
    const rtcp = createSocket({ type, lookup: numericLookup });
    if (!(await bind(rtcp, port + 1, address))) {
      rtp.close();
      rtcp.close();
      continue;
    }
    return {
      address,
      port,
      rtp,
      rtcp,
      close() {
        rtp.close();
        rtcp.close();
      },
    };
  }
  throw new Error(`no free RTP port pair in ${range.min}-${range.max} on ${address}`);
}
