/**
 * A UDP port for a call's RTP, held from the offer until the call ends, so the port our SDP
 * names is really ours. RFC 3550 §11: RTP on an even port, RTCP on the next (odd) one — both
 * are bound, unless rtcp-mux is used later.
 */
import { createSocket, type Socket } from 'node:dgram';
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
    const rtp = createSocket(type);
    if (!(await bind(rtp, port, address))) {
      rtp.close();
      continue;
    }
    const rtcp = createSocket(type);
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
