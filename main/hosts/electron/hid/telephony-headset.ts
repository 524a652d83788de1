/**
 * A USB headset's call controls on the HID Telephony Device page (HID Usage Tables 1.4, §14)
 * and its lamps on the LED page (§11), independent of how reports travel (node-hid here;
 * WebHID would fit the same way). Input reports become call actions given the call state;
 * the call state becomes output reports for the lamps.
 *
 * Hook Switch is the one control with two behaviours: as an absolute (on/off) control it is the
 * headset's idea of off-hook, and the host confirms it through the Off-Hook LED — so a change
 * that only echoes the LED we set (answered from the window, then the headset reports
 * off-hook) matches the call state and does nothing. As a relative control (a one-shot press)
 * it toggles: answer when ringing, hang up in a call. Phone Mute and Drop act on the press.
 */
import { parseReportDescriptor, readField, reportLength, usageOf, writeField, type ReportDescriptor, type ReportField } from './report-descriptor.js';

export const telephonyPage = 0x0b;
export const ledPage = 0x08;

/** Telephony page usages (HUT §14). */
export const TelephonyUsage = {
  phone: usageOf(telephonyPage, 0x01),
  headset: usageOf(telephonyPage, 0x05),
  hookSwitch: usageOf(telephonyPage, 0x20),
  flash: usageOf(telephonyPage, 0x21),
  drop: usageOf(telephonyPage, 0x26),
  phoneMute: usageOf(telephonyPage, 0x2f),
  ringer: usageOf(telephonyPage, 0x9e),
} as const;

/** LED page usages (HUT §11). */
export const LedUsage = {
  mute: usageOf(ledPage, 0x09),
  offHook: usageOf(ledPage, 0x17),
  ring: usageOf(ledPage, 0x18),
  hold: usageOf(ledPage, 0x20),
} as const;

export type HeadsetControl = 'hookSwitch' | 'flash' | 'drop' | 'phoneMute';
const controlUsages: Record<HeadsetControl, number> = {
  hookSwitch: TelephonyUsage.hookSwitch,
  flash: TelephonyUsage.flash,
  drop: TelephonyUsage.drop,
  phoneMute: TelephonyUsage.phoneMute,
};

export interface HeadsetLamps {
  offHook: boolean;
  ring: boolean;
  mute: boolean;
  hold: boolean;
}

export interface ControlChange {
  control: HeadsetControl;
  pressed: boolean;
  relative: boolean;
}

export interface OutputReport {
  reportId: number;
  /** The report's data, without the ID byte. */
  data: Uint8Array;
}

/** Which controls and lamps a device has, and where their bits are. */
export class TelephonyReportMap {
  readonly inputs: readonly ReportField[];
  readonly outputs: readonly ReportField[];

  constructor(readonly descriptor: ReportDescriptor) {
    const wanted = new Set<number>(Object.values(controlUsages));
    this.inputs = descriptor.fields.filter((f) => f.kind === 'input' && f.usages.some((u) => wanted.has(u)));
    const lamps = new Set<number>([...Object.values(LedUsage), TelephonyUsage.ringer]);
    this.outputs = descriptor.fields.filter((f) => f.kind === 'output' && f.variable && lamps.has(f.usages[0]!));
  }

  static fromDescriptor(bytes: Uint8Array): TelephonyReportMap {
    return new TelephonyReportMap(parseReportDescriptor(bytes));
  }

  /** The device has the controls a headset needs (hook switch or mute). */
  get isTelephony(): boolean {
    return this.inputs.some((f) => f.usages.includes(TelephonyUsage.hookSwitch) || f.usages.includes(TelephonyUsage.phoneMute));
  }

  /** The state of every control in one input report (`data` without the ID byte). */
  decode(reportId: number, data: Uint8Array): Map<HeadsetControl, { pressed: boolean; relative: boolean }> {
    const state = new Map<HeadsetControl, { pressed: boolean; relative: boolean }>();
    const byUsage = new Map(Object.entries(controlUsages).map(([control, usage]) => [usage, control as HeadsetControl]));
    for (const field of this.inputs) {
      if (field.reportId !== reportId) continue;
      const value = readField(field, data);
      if (value === undefined) continue;
      if (field.variable) {
        const control = byUsage.get(field.usages[0]!)!;
        state.set(control, { pressed: (state.get(control)?.pressed ?? false) || value !== 0, relative: field.relative });
      } else {
        // Array: the value names the usage active now; every usage of the array not named is off.
        const active = field.usages[value - field.logicalMinimum];
        for (const usage of field.usages) {
          const control = byUsage.get(usage);
          if (control !== undefined) state.set(control, { pressed: (state.get(control)?.pressed ?? false) || usage === active, relative: field.relative });
        }
      }
    }
    return state;
  }

  /** Output reports setting every lamp the device has (other bits of those reports are zero). */
  encode(lamps: HeadsetLamps): OutputReport[] {
    const reports = new Map<number, Uint8Array>();
    for (const field of this.outputs) {
      let data = reports.get(field.reportId);
      if (data === undefined) {
        data = new Uint8Array(reportLength(this.descriptor, 'output', field.reportId));
        reports.set(field.reportId, data);
      }
      const usage = field.usages[0]!;
      const on =
        usage === LedUsage.offHook ? lamps.offHook : usage === LedUsage.ring || usage === TelephonyUsage.ringer ? lamps.ring : usage === LedUsage.mute ? lamps.mute : lamps.hold;
      writeField(field, data, on ? Math.max(1, field.logicalMinimum) : Math.max(0, field.logicalMinimum));
    }
    return [...reports].map(([reportId, data]) => ({ reportId, data }));
  }
}

export interface HeadsetCallState {
  ringing: boolean;
  /** A call is in progress (established, or dialling out). */
  inCall: boolean;
}

export interface HeadsetActions {
  answer(): void;
  hangup(): void;
  toggleMute(): void;
}

/** Turns a headset's control changes into call actions; one per device. */
export class TelephonyHeadset {
  private readonly last = new Map<HeadsetControl, boolean>();
  private lastLamps = '';

  constructor(
    readonly map: TelephonyReportMap,
    private readonly state: () => HeadsetCallState,
    private readonly actions: HeadsetActions,
  ) {}

  /** An input report (`data` without the ID byte); returns the changes it made, for tests and logs. */
  input(reportId: number, data: Uint8Array): ControlChange[] {
    const changes: ControlChange[] = [];
    for (const [control, { pressed, relative }] of this.map.decode(reportId, data)) {
      const before = this.last.get(control) ?? false;
      this.last.set(control, pressed);
      if (pressed === before) continue;
      changes.push({ control, pressed, relative });
      this.act(control, pressed, relative);
    }
    return changes;
  }

  /** Output reports for the lamps when they differ from the last ones sent. */
  lamps(lamps: HeadsetLamps): OutputReport[] {
    const key = JSON.stringify(lamps);
    if (key === this.lastLamps) return [];
    this.lastLamps = key;
    return this.map.encode(lamps);
  }

  private act(control: HeadsetControl, pressed: boolean, relative: boolean): void {
    const { ringing, inCall } = this.state();
    switch (control) {
      case 'hookSwitch':
        if (relative || pressed) {
          // Off-hook (or a toggle press): take the ringing call, else a toggle ends the call.
          if (!pressed) return;
          if (ringing && (!inCall || !relative)) this.actions.answer();
          else if (relative && inCall) this.actions.hangup();
        } else if (inCall) {
          // Back on hook: the headset's user hung up.
          this.actions.hangup();
        }
        return;
      case 'flash':
        if (pressed && ringing) this.actions.answer();
        return;
      case 'drop':
        if (pressed && inCall) this.actions.hangup();
        return;
      case 'phoneMute':
        if (pressed && inCall) this.actions.toggleMute();
        return;
    }
  }
}
