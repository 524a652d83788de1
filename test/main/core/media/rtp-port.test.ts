import type { RemoteInfo } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { allocateRtpPort } from '../../../../main/core/media/rtp-port.js';

function nextMessage(port: Awaited<ReturnType<typeof allocateRtpPort>>): Promise<{ data: string; from: RemoteInfo }> {
  return new Promise((resolve) => port.rtp.once('message', (data, from) => resolve({ data: data.toString(), from })));
}

describe('allocateRtpPort', () => {
  it('binds an even RTP port and the next one for RTCP', async () => {
    const port = await allocateRtpPort('127.0.0.1');
    try {
      expect(port.port % 2).toBe(0);
      expect(port.rtp.address().port).toBe(port.port);
      expect(port.rtcp.address().port).toBe(port.port + 1);
    } finally {
      port.close();
    }
  });

  it('sends to a numeric address, and still resolves a name, from the unconnected socket', async () => {
    const a = await allocateRtpPort('127.0.0.1');
    const b = await allocateRtpPort('127.0.0.1');
    try {
      const sent: (Error | null)[] = [];
      const numeric = nextMessage(b);
      a.rtp.send(Buffer.from('numeric'), b.port, '127.0.0.1', (error) => sent.push(error));
      expect((await numeric).data).toBe('numeric');
      expect((await numeric).from.port).toBe(a.port);
      const named = nextMessage(b);
      a.rtp.send(Buffer.from('named'), b.port, 'localhost', (error) => sent.push(error));
      expect((await named).data).toBe('named');
      await new Promise((resolve) => setImmediate(resolve));
      expect(sent).toEqual([null, null]);
    } finally {
      a.close();
      b.close();
    }
  });
});
