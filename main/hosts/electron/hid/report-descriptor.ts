/**
 * A HID report descriptor (Device Class Definition for HID 1.11, §6.2.2) read into the fields
 * of each report: where each usage's bits sit, so an input report can be decoded and an output
 * report built without knowing the device. Short items only (§6.2.2.2); long items (§6.2.2.3,
 * reserved, unused by any class) are skipped. Limits keep a hostile descriptor cheap.
 */
export type ReportKind = 'input' | 'output' | 'feature';

export interface ReportField {
  readonly kind: ReportKind;
  /** 0 when the device does not number its reports. */
  readonly reportId: number;
  readonly bitOffset: number;
  readonly bitSize: number;
  readonly logicalMinimum: number;
  /** Main item flags (§6.2.2.5): bit 2 set = Relative, e.g. a one-shot button. */
  readonly relative: boolean;
  /**
   * Variable field: one usage, `usages[0]`, whose value is in the bits.
   * Array field: the bits hold the index (from `logicalMinimum`) of the usage active now.
   */
  readonly variable: boolean;
  /** Extended usages: page << 16 | id. */
  readonly usages: readonly number[];
}

export interface ReportDescriptor {
  readonly fields: readonly ReportField[];
  /** Reports carry their ID in the first byte. */
  readonly numbered: boolean;
  /** Bits of each report's data (padding included), by `reportKey`. */
  readonly reportBits: ReadonlyMap<string, number>;
}

export function reportKey(kind: ReportKind, reportId: number): string {
  return `${kind}:${reportId}`;
}

export class ReportDescriptorError extends Error {
  override readonly name = 'ReportDescriptorError';
}

const maxFields = 4096;
const maxUsageRange = 1024;

interface Globals {
  usagePage: number;
  logicalMinimum: number;
  reportSize: number;
  reportCount: number;
  reportId: number;
}

function unsigned(data: Uint8Array, at: number, size: number): number {
  let value = 0;
  for (let i = size - 1; i >= 0; i--) value = value * 256 + data[at + i]!;
  return value;
}

function signed(value: number, size: number): number {
  const bits = size * 8;
  return size > 0 && value >= 2 ** (bits - 1) ? value - 2 ** bits : value;
}

export function usageOf(page: number, id: number): number {
  return page * 0x10000 + id;
}

export function parseReportDescriptor(bytes: Uint8Array): ReportDescriptor {
  const fields: ReportField[] = [];
  let globals: Globals = { usagePage: 0, logicalMinimum: 0, reportSize: 0, reportCount: 0, reportId: 0 };
  const stack: Globals[] = [];
  let usages: number[] = [];
  let usageMinimum: number | undefined;
  let numbered = false;
  const offsets = new Map<string, number>();
  // A usage given with 1 or 2 bytes is on the current page; with 4 it names its own (§6.2.2.8).
  const extended = (value: number, size: number) => (size === 4 ? value : usageOf(globals.usagePage, value));

  for (let at = 0; at < bytes.length; ) {
    const prefix = bytes[at]!;
    if (prefix === 0xfe) {
      if (at + 2 >= bytes.length) throw new ReportDescriptorError('truncated long item');
      at += 3 + bytes[at + 1]!;
      continue;
    }
    const size = [0, 1, 2, 4][prefix & 3]!;
    const type = (prefix >> 2) & 3;
    const tag = prefix >> 4;
    if (at + 1 + size > bytes.length) throw new ReportDescriptorError(`item at byte ${at} runs past the end`);
    const value = unsigned(bytes, at + 1, size);
    at += 1 + size;

    if (type === 0) {
      // Main items: Input 8, Output 9, Feature 11, Collection 10, End Collection 12.
      const kind: ReportKind | undefined = tag === 8 ? 'input' : tag === 9 ? 'output' : tag === 11 ? 'feature' : undefined;
      if (kind !== undefined) {
        const key = reportKey(kind, globals.reportId);
        const start = offsets.get(key) ?? 0;
        const { reportSize, reportCount } = globals;
        const constant = (value & 1) !== 0;
        const variable = (value & 2) !== 0;
        const relative = (value & 4) !== 0;
        if (!constant && usages.length > 0) {
          const base = { kind, reportId: globals.reportId, bitSize: reportSize, logicalMinimum: globals.logicalMinimum, relative, variable };
          if (variable) {
            for (let i = 0; i < reportCount; i++) {
              fields.push({ ...base, bitOffset: start + i * reportSize, usages: [usages[Math.min(i, usages.length - 1)]!] });
            }
          } else {
            for (let i = 0; i < reportCount; i++) fields.push({ ...base, bitOffset: start + i * reportSize, usages });
          }
          if (fields.length > maxFields) throw new ReportDescriptorError('too many fields');
        }
        offsets.set(key, start + reportSize * reportCount);
      }
      usages = [];
      usageMinimum = undefined;
    } else if (type === 1) {
      switch (tag) {
        case 0:
          globals.usagePage = value;
          break;
        case 1:
          globals.logicalMinimum = signed(value, size);
          break;
        case 7:
          globals.reportSize = value;
          break;
        case 8:
          if (value === 0) throw new ReportDescriptorError('report ID 0 is reserved');
          globals.reportId = value;
          numbered = true;
          break;
        case 9:
          globals.reportCount = value;
          break;
        case 10:
          if (stack.length >= 16) throw new ReportDescriptorError('Push nested too deep');
          stack.push({ ...globals });
          break;
        case 11: {
          const popped = stack.pop();
          if (popped === undefined) throw new ReportDescriptorError('Pop without Push');
          globals = popped;
          break;
        }
      }
      if (globals.reportSize > 32 || globals.reportCount > 1024) throw new ReportDescriptorError('report size or count out of range');
    } else if (type === 2) {
      if (tag === 0) usages.push(extended(value, size));
      else if (tag === 1) usageMinimum = extended(value, size);
      else if (tag === 2 && usageMinimum !== undefined) {
        const maximum = extended(value, size);
        if (maximum < usageMinimum || maximum - usageMinimum >= maxUsageRange) throw new ReportDescriptorError('usage range too large');
        for (let u = usageMinimum; u <= maximum; u++) usages.push(u);
        usageMinimum = undefined;
      }
    }
  }
  return { fields, numbered, reportBits: offsets };
}

/** The field's raw value, little-endian bit order (§5.8). */
export function readField(field: Pick<ReportField, 'bitOffset' | 'bitSize'>, data: Uint8Array): number | undefined {
  if (field.bitOffset + field.bitSize > data.length * 8) return undefined;
  let value = 0;
  for (let i = field.bitSize - 1; i >= 0; i--) {
    const bit = field.bitOffset + i;
    value = value * 2 + ((data[bit >> 3]! >> (bit & 7)) & 1);
  }
  return value;
}

export function writeField(field: Pick<ReportField, 'bitOffset' | 'bitSize'>, data: Uint8Array, value: number): void {
  for (let i = 0; i < field.bitSize; i++) {
    const bit = field.bitOffset + i;
    const mask = 1 << (bit & 7);
    if (Math.floor(value / 2 ** i) % 2 === 1) data[bit >> 3]! |= mask;
    else data[bit >> 3]! &= ~mask;
  }
}

/** Bytes of a report's data (without its ID). */
export function reportLength(descriptor: ReportDescriptor, kind: ReportKind, reportId: number): number {
  return Math.ceil((descriptor.reportBits.get(reportKey(kind, reportId)) ?? 0) / 8);
}
