/**
 * Where call links arrive (first launch argv, a second instance's argv, macOS `open-url`) and
 * how they become calls. A link can be opened by any web page, so with the default settings
 * nothing is dialled before the user says so in a native dialog of the main process — a page
 * can neither see nor click it, and its default button is Cancel so a stray Enter does not
 * place a call. One link at a time: links arriving while a question is open are dropped,
 * so a page cannot queue up a pile of dialogs.
 */
import type { MessageBoxOptions } from 'electron';
import type { Logger } from '../../core/log.js';
import { CallLinkError, parseCallLink, type CallLink } from './call-link.js';

export type CallLinkSource = 'argv' | 'second-instance' | 'open-url';

export interface ClickToCallDeps {
  /** Ask the user; resolves true only on an explicit "Call". */
  confirm(link: CallLink): Promise<boolean>;
  dial(target: string): Promise<void>;
  /** Read at each link, so a change of setting applies at once. */
  confirmFirst(): boolean;
  log: Logger;
}

export class ClickToCall {
  /** A link that came before the core was up (first launch, early open-url): the last one wins. */
  private early: { link: string; source: CallLinkSource } | undefined;
  private ready = false;
  private busy = false;

  constructor(private readonly deps: ClickToCallDeps) {}

  /** Resolves once the link was dialled, refused or dropped (tests wait on it). */
  async receive(link: string, source: CallLinkSource): Promise<void> {
    if (!this.ready) {
      this.early = { link, source };
      return;
    }
    await this.handle(link, source);
  }

  /** The core runs: handle the link that arrived early, if any. */
  async start(): Promise<void> {
    this.ready = true;
    const early = this.early;
    this.early = undefined;
    if (early !== undefined) await this.handle(early.link, early.source);
  }

  private async handle(raw: string, source: CallLinkSource): Promise<void> {
    const { log } = this.deps;
    let link: CallLink;
    try {
      link = parseCallLink(raw);
    } catch (error) {
      if (!(error instanceof CallLinkError)) throw error;
      // The link itself is not logged: it may be long and it is the sender's text.
      log.warn('call link refused', { source, reason: error.message });
      return;
    }
    if (this.busy) {
      log.warn('call link dropped: another one is waiting for the user', { source });
      return;
    }
    this.busy = true;
    try {
      if (this.deps.confirmFirst() && !(await this.deps.confirm(link))) {
        log.info('call link declined by the user', { source });
        return;
      }
      await this.deps.dial(link.target);
    } catch (error) {
      log.warn('call link not dialled', { source, error: String(error) });
    } finally {
      this.busy = false;
    }
  }
}

/** The native question: plain text only, Cancel as default and escape button. */
export function confirmDialogOptions(link: CallLink, appName: string): MessageBoxOptions {
  return {
    type: 'question',
    title: appName,
    message: `Call ${link.target}?`,
    detail: `A link asked ${appName} to call ${link.target}. Check the number before calling: it was not typed by you.`,
    buttons: ['Call', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}
