/**
 * Headsets found through node-hid in the main process (not WebHID in the renderer: the window
 * keeps "no permissions" and may be hidden in the tray, and node-hid is N-API, so one binary
 * serves Node and Electron with no rebuild). Devices on the Telephony page are opened, their
 * report descriptor read, and hot-plug found by listing devices on a bounded interval.
 *
 * node-hid is an optional dependency: without it (or without the report-descriptor call,
 * node-hid ≥ 3.1) headset buttons are simply not available, and the log says why.
 * On Linux, hidraw nodes must be readable by the user: the deb installs a udev rule
 * (assets/linux/70-softphone-headsets.rules).
 */
import type { Logger } from '../../../core/log.js';
import { ReportDescriptorError } from './report-descriptor.js';
import { TelephonyHeadset, TelephonyReportMap, telephonyPage, type HeadsetActions, type HeadsetCallState, type HeadsetLamps, type OutputReport } from './telephony-headset.js';

/** The part of node-hid (3.x) used here. */
export interface HidModule {
  devicesAsync(): Promise<HidDeviceInfo[]>;
  HIDAsync: { open(path: string): Promise<HidDevice> };
}
export interface HidDeviceInfo {
  path?: string | undefined;
  vendorId: number;
  productId: number;
  product?: string | undefined;
  usagePage?: number | undefined;
}
export interface HidDevice {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  write(data: number[] | Buffer): Promise<number>;
  close(): Promise<void>;
  getReportDescriptor?(): Promise<Buffer>;
}

interface Open {
  device: HidDevice;
  headset: TelephonyHeadset;
  name: string;
}

export interface HeadsetsDeps {
  hid: HidModule;
  state(): HeadsetCallState;
  actions: HeadsetActions;
  log: Logger;
  pollMs?: number;
}

/** hidapi's write takes the report ID first, 0 for an unnumbered report. */
export function hidapiOutput(report: OutputReport): Buffer {
  return Buffer.concat([Buffer.from([report.reportId]), report.data]);
}

export class Headsets {
  private readonly open = new Map<string, Open>();
  /** Paths that are not headsets or failed to open: not retried until unplugged. */
  private readonly skipped = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private scanning = false;
  private lamps: HeadsetLamps = { offHook: false, ring: false, mute: false, hold: false };

  constructor(private readonly deps: HeadsetsDeps) {}

  start(): void {
    void this.scan();
    this.timer = setInterval(() => void this.scan(), this.deps.pollMs ?? 3000);
    this.timer.unref();
  }

  get count(): number {
    return this.open.size;
  }

  /** Call state changed: lamps follow on every open headset. */
  setLamps(lamps: HeadsetLamps): void {
    this.lamps = lamps;
    for (const entry of this.open.values()) this.writeLamps(entry);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map(async (entry) => {
      // Lamps off, so the headset does not stay "in a call" after we quit.
      for (const report of entry.headset.lamps({ offHook: false, ring: false, mute: false, hold: false })) await entry.device.write(hidapiOutput(report)).catch(() => 0);
      await entry.device.close().catch(() => undefined);
    }));
  }

  async scan(): Promise<void> {
    if (this.scanning) return;
    this.scanning = true;
    try {
      const present = (await this.deps.hid.devicesAsync()).filter((d) => d.usagePage === telephonyPage && d.path !== undefined);
      const paths = new Set(present.map((d) => d.path!));
      for (const [path, entry] of this.open) {
        if (!paths.has(path)) {
          this.open.delete(path);
          void entry.device.close().catch(() => undefined);
          this.deps.log.info('headset removed', { name: entry.name });
        }
      }
      for (const path of this.skipped) if (!paths.has(path)) this.skipped.delete(path);
      for (const info of present) {
        if (!this.open.has(info.path!) && !this.skipped.has(info.path!)) await this.attach(info);
      }
    } catch (error) {
      this.deps.log.warn('HID devices unreadable', { error: String(error) });
    } finally {
      this.scanning = false;
    }
  }

  private async attach(info: HidDeviceInfo): Promise<void> {
    const path = info.path!;
    const name = `${info.product ?? 'HID device'} (${info.vendorId.toString(16).padStart(4, '0')}:${info.productId.toString(16).padStart(4, '0')})`;
    let device: HidDevice | undefined;
    try {
      device = await this.deps.hid.HIDAsync.open(path);
      if (device.getReportDescriptor === undefined) throw new Error('node-hid ≥ 3.1 is needed to read report descriptors');
      const map = TelephonyReportMap.fromDescriptor(await device.getReportDescriptor());
      if (!map.isTelephony) throw new ReportDescriptorError('no hook switch or mute control');
      const headset = new TelephonyHeadset(map, this.deps.state, this.deps.actions);
      const numbered = map.descriptor.numbered;
      device.on('data', (data) => {
        // hidapi puts the report ID first only for numbered reports.
        const changes = numbered ? headset.input(data[0]!, data.subarray(1)) : headset.input(0, data);
        if (changes.length > 0) this.deps.log.debug('headset controls', { name, changes });
      });
      device.on('error', (error) => {
        this.deps.log.warn('headset error', { name, error: String(error) });
        this.open.delete(path);
      });
      const entry = { device, headset, name };
      this.open.set(path, entry);
      this.writeLamps(entry);
      this.deps.log.info('headset attached', { name });
    } catch (error) {
      this.skipped.add(path);
      await device?.close().catch(() => undefined);
      const denied = /permission|access|cannot open|EACCES/i.test(String(error));
      this.deps.log.info('HID telephony device not used', {
        name,
        reason: String(error),
        // Linux: hidraw nodes are root-only unless a udev rule gives them to the seat's user.
        ...(denied && process.platform === 'linux' ? { hint: 'install resources/linux/70-softphone-headsets.rules into /etc/udev/rules.d' } : {}),
      });
    }
  }

  private writeLamps(entry: Open): void {
    for (const report of entry.headset.lamps(this.lamps)) {
      entry.device.write(hidapiOutput(report)).catch((error: unknown) => this.deps.log.warn('headset lamps not set', { name: entry.name, error: String(error) }));
    }
  }
}

/** node-hid if installed; undefined (and the reason logged) if not. */
export async function loadNodeHid(log: Logger, load: () => Promise<unknown> = () => import('node-hid' as string)): Promise<HidModule | undefined> {
  try {
    const hid = (await load()) as Partial<HidModule> & { default?: Partial<HidModule> };
    const module = hid.devicesAsync !== undefined ? hid : hid.default;
    if (module?.devicesAsync === undefined || module.HIDAsync === undefined) throw new Error('node-hid 3.x API not found');
    return module as HidModule;
  } catch (error) {
    log.info('headset call buttons unavailable: node-hid not loaded', { error: String(error) });
    return undefined;
  }
}
