/**
 * Settings of the desktop shell only (tray, start, alerts, click-to-call), kept in `desktop.json`
 * in the data folder. They are not in the contract: the renderer cannot change them, so a
 * compromised page cannot, say, switch off the click-to-call confirmation. The tray menu changes
 * the harmless ones; the rest are edited in the file. The global shortcuts moved to the
 * preferences (Settings edits them); ones still set here are carried over once.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../../core/log.js';
import { isGlobalAccelerator } from './accelerator.js';

const Accelerator = z.string().refine(isGlobalAccelerator, 'not a usable global shortcut (e.g. CommandOrControl+Alt+Shift+A)');

export const DesktopSettings = z
  .object({
    startAtLogin: z.boolean().default(false),
    /** Start with the window hidden (the tray icon only); also when started at login. */
    startHidden: z.boolean().default(false),
    /** Closing the window hides it; Quit is in the tray menu. */
    closeToTray: z.boolean().default(true),
    /** Ask before dialling a link (sip:, tel:...) from another application or a web page. */
    confirmCallLinks: z.boolean().default(true),
    notifications: z.boolean().default(true),
    /** The window comes forward, always on top, while a call rings. */
    incomingCallWindow: z.boolean().default(false),
    /** Superseded by the `shortcuts` preference: read once, to carry an earlier choice over. */
    shortcuts: z
      .object({
        answer: Accelerator.nullable().default('CommandOrControl+Alt+Shift+A'),
        hangup: Accelerator.nullable().default('CommandOrControl+Alt+Shift+H'),
        mute: Accelerator.nullable().default('CommandOrControl+Alt+Shift+M'),
      })
      .strict()
      .default({ answer: 'CommandOrControl+Alt+Shift+A', hangup: 'CommandOrControl+Alt+Shift+H', mute: 'CommandOrControl+Alt+Shift+M' }),
    /** USB headsets' call buttons (HID Telephony page). */
    headset: z.boolean().default(true),
    /** How often network interfaces are compared for a change, in ms. */
    networkPollMs: z.number().int().min(1000).max(60_000).default(5000),
  })
  .strict();
export type DesktopSettings = z.output<typeof DesktopSettings>;

export const desktopSettingsFile = 'desktop.json';

export class DesktopSettingsFile {
  private readonly file: string;
  private current: DesktopSettings;

  constructor(
    dataDir: string,
    private readonly log: Logger,
  ) {
    this.file = join(dataDir, desktopSettingsFile);
    this.current = this.load();
  }

  get value(): DesktopSettings {
    return this.current;
  }

  update(changes: Partial<DesktopSettings>): DesktopSettings {
    this.current = DesktopSettings.parse({ ...this.current, ...changes });
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.current, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, this.file);
    return this.current;
  }

  /** A missing file gives the defaults; a broken one too, with the reason in the log. */
  private load(): DesktopSettings {
    let json: unknown = {};
    try {
      json = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`${this.file} ignored: ${String(error)}`);
    }
    const parsed = DesktopSettings.safeParse(json);
    if (parsed.success) return parsed.data;
    this.log.warn(`${this.file} ignored: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return DesktopSettings.parse({});
  }
}
