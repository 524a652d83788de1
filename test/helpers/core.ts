import { afterEach } from 'vitest';
import { createCore, type Core, type CoreOptions } from '../../main/core/index.js';
import { silentLogger } from '../../main/core/log.js';
import { StubDnsResolver } from '../../main/core/sip/locator/index.js';
import { MemorySecretStore } from '../../main/core/store/secret-store.js';
import { ContractBridge } from '../../main/hosts/bridge.js';
import type { ConfigFileInput } from '../../shared/model.js';
import { tempDir } from './temp-dir.js';

/** SIP on loopback only, unless a test says where. */
const loopback: NonNullable<ConfigFileInput['sip']> = {
  listen: [
    { transport: 'udp', address: '127.0.0.1', port: 0 },
    { transport: 'tcp', address: '127.0.0.1', port: 0 },
  ],
};

/**
 * A real core on a temporary data folder, closed after the test. DNS is a stub (empty unless
 * given): no test reaches a real resolver.
 */
export async function testCore(options: Partial<CoreOptions> = {}): Promise<{ core: Core; bridge: ContractBridge; dataDir: string }> {
  const dataDir = options.dataDir ?? tempDir();
  const config: ConfigFileInput = options.config ?? { accounts: [], sip: loopback };
  const core = await createCore({
    dataDir,
    host: 'cli',
    appName: 'Softphone',
    appVersion: '9.9.9-test',
    secrets: new MemorySecretStore(),
    dns: new StubDnsResolver(),
    ...options,
    config: (config.sip?.listen?.length ?? 0) > 0 ? config : { ...config, sip: loopback },
  });
  afterEach(() => core.close());
  return { core, bridge: new ContractBridge(core.handlers, silentLogger), dataDir };
}

/** The UDP port a core listens on (loopback tests dial one core from another). */
export function udpPort(core: Core): number {
  const point = core.signalling.endpoint.transport.listeningPoints().find((p) => p.transport === 'udp');
  if (point === undefined) throw new Error('no UDP listening point');
  return point.port;
}
