/** A stand-in for node-hid 3.x: devices listed and opened from a table, writes recorded. */
import { EventEmitter } from 'node:events';
import type { HidDevice, HidDeviceInfo, HidModule } from '../../../../../main/hosts/electron/hid/headsets.js';

export class FakeDevice extends EventEmitter implements HidDevice {
  readonly written: number[][] = [];
  closed = false;
  constructor(private readonly descriptor: Uint8Array | undefined) {
    super();
  }
  async write(data: number[] | Buffer): Promise<number> {
    this.written.push([...data]);
    return data.length;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  get getReportDescriptor(): (() => Promise<Buffer>) | undefined {
    const descriptor = this.descriptor;
    return descriptor === undefined ? undefined : async () => Buffer.from(descriptor);
  }
}

export function fakeHid(devices: { info: HidDeviceInfo; descriptor: Uint8Array | undefined }[]) {
  const opened = new Map<string, FakeDevice>();
  const hid: HidModule = {
    devicesAsync: async () => devices.map((d) => d.info),
    HIDAsync: {
      open: async (path) => {
        const entry = devices.find((d) => d.info.path === path);
        if (entry === undefined) throw new Error('no such device');
        const device = new FakeDevice(entry.descriptor);
        opened.set(path, device);
        return device;
      },
    },
  };
  return { hid, opened, devices };
}

