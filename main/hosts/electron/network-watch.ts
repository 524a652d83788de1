/**
 * When the machine wakes, is unlocked, or its network changes, the core re-registers at once
 * and carries the calls over with a re-INVITE naming our current address (`core.networkChanged()`)
 * instead of waiting for a refresh timer or a keep-alive to fail: after sleep the NAT binding
 * and often the address are gone. Triggers that come together
 * (resume, then the interface coming back) are coalesced into one call per `coalesceMs`.
 *
 * Interface changes are found by comparing `os.networkInterfaces()` on a bounded interval:
 * Electron has no interface-change event, and `net.online` only tells online from offline,
 * not a Wi-Fi → Ethernet move.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import type { Logger } from '../../core/log.js';
import type { ElectronMain } from './electron-api.js';

export type NetworkTrigger = 'resume' | 'unlock-screen' | 'interfaces';

/** Addresses that matter for SIP: not loopback, not IPv6 link-local (they change with nothing routed). */
export function interfaceFingerprint(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string {
  const addresses: string[] = [];
  for (const [name, infos] of Object.entries(interfaces)) {
    for (const info of infos ?? []) {
      if (info.internal || (info.family === 'IPv6' && /^fe80:/i.test(info.address))) continue;
      addresses.push(`${name} ${info.address}`);
    }
  }
  return addresses.sort().join(',');
}

export interface NetworkWatchDeps {
  powerMonitor: Pick<ElectronMain['powerMonitor'], 'on' | 'removeListener'>;
  interfaces: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
  pollMs: number;
  coalesceMs?: number;
  networkChanged: (trigger: NetworkTrigger) => void;
  log: Logger;
}

export function watchNetwork(deps: NetworkWatchDeps): () => void {
  const coalesceMs = deps.coalesceMs ?? 2000;
  let lastFired = -Infinity;
  const fire = (trigger: NetworkTrigger) => {
    const now = Date.now();
    if (now - lastFired < coalesceMs) return;
    lastFired = now;
    deps.log.info('network may have changed: re-registering and reconnecting calls', { trigger });
    deps.networkChanged(trigger);
  };
  // os.networkInterfaces() throws when the OS refuses the list (uv_interface_addresses).
  const read = (): string | undefined => {
    try {
      return interfaceFingerprint(deps.interfaces());
    } catch (error) {
      deps.log.warn('network interfaces unreadable', { error: String(error) });
      return undefined;
    }
  };
  let fingerprint = read() ?? '';
  const poll = setInterval(() => {
    const next = read();
    if (next === undefined) return;
    if (next === fingerprint) return;
    fingerprint = next;
    // An interface that went away with nothing new (cable out): re-registering now would fail;
    // the next change (an address back) fires again.
    if (next !== '') fire('interfaces');
  }, deps.pollMs);
  poll.unref();
  const onResume = () => fire('resume');
  const onUnlock = () => fire('unlock-screen');
  deps.powerMonitor.on('resume', onResume);
  deps.powerMonitor.on('unlock-screen', onUnlock);
  return () => {
    clearInterval(poll);
    deps.powerMonitor.removeListener('resume', onResume);
    deps.powerMonitor.removeListener('unlock-screen', onUnlock);
  };
}
