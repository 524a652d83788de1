/**
 * The options of a core that talks to the lab's Kamailio: its DNS answers lab.test with the
 * lab's ports, it listens on loopback only (UDP unless told), passwords stay in memory. Each
 * test closes its core itself (some share one across their tests).
 */
import type { CoreOptions } from '../../../main/core/index.js';
import { MemorySecretStore } from '../../../main/core/store/secret-store.js';
import { labDns } from './dns.js';
import type { Kamailio } from './kamailio.js';

export function labCoreOptions(kamailio: Kamailio, dataDir: string, extra: Partial<CoreOptions> & { transport?: 'udp' | 'tcp' } = {}): CoreOptions {
  const { transport = 'udp', ...rest } = extra;
  return {
    dataDir,
    host: 'cli',
    appName: 'Softphone',
    appVersion: 'test',
    secrets: new MemorySecretStore(),
    dns: labDns(kamailio),
    config: { accounts: [], sip: { listen: [{ transport, address: '127.0.0.1', port: 0 }] } },
    ...rest,
  };
}
