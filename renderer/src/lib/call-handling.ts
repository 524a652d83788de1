/**
 * An account's call handling as the forms edit it (Do Not Disturb, forwarding, auto-answer,
 * transfer policy, music on hold): text fields as typed, numbers possibly empty. Pure functions,
 * so the add form and the edit panel share them and tests need no Svelte.
 */
import type { AccountChanges, AccountFields, AccountFieldsInput, AccountView } from '../../../shared/model.js';

export interface CallHandling {
  dnd: boolean;
  dndCode: 486 | 603;
  forwardAlways: string;
  forwardBusy: string;
  forwardNoAnswer: string;
  /** null: the number field is empty. */
  forwardNoAnswerSeconds: number | null;
  autoAnswer: AccountFields['autoAnswer'];
  autoAnswerDelaySeconds: number | null;
  transferPolicy: AccountFields['transferPolicy'];
  musicOnHold: boolean;
}

export const forwardFields = ['forwardAlways', 'forwardBusy', 'forwardNoAnswer'] as const;
export type ForwardField = (typeof forwardFields)[number];

/** The contract's defaults (see AccountFields in shared/model.ts). */
export function defaultCallHandling(): CallHandling {
  return {
    dnd: false,
    dndCode: 486,
    forwardAlways: '',
    forwardBusy: '',
    forwardNoAnswer: '',
    forwardNoAnswerSeconds: 20,
    autoAnswer: 'off',
    autoAnswerDelaySeconds: 0,
    transferPolicy: 'accept',
    musicOnHold: false,
  };
}

/** An account's settings as the form shows them (an account stored before these fields has defaults). */
export function callHandlingOf(account: AccountView): CallHandling {
  const d = defaultCallHandling();
  return {
    dnd: account.dnd ?? d.dnd,
    dndCode: account.dndCode ?? d.dndCode,
    forwardAlways: account.forwardAlways ?? '',
    forwardBusy: account.forwardBusy ?? '',
    forwardNoAnswer: account.forwardNoAnswer ?? '',
    forwardNoAnswerSeconds: account.forwardNoAnswerSeconds ?? d.forwardNoAnswerSeconds,
    autoAnswer: account.autoAnswer ?? d.autoAnswer,
    autoAnswerDelaySeconds: account.autoAnswerDelaySeconds ?? d.autoAnswerDelaySeconds,
    transferPolicy: account.transferPolicy ?? d.transferPolicy,
    musicOnHold: account.musicOnHold ?? d.musicOnHold,
  };
}

/**
 * The changes for `accounts.update`: as `callHandlingFields`, and a target that was set and is
 * now empty is removed (null).
 */
export function callHandlingChanges(before: CallHandling, after: CallHandling): AccountChanges {
  const changes: AccountChanges = { ...callHandlingFields(after) };
  for (const field of forwardFields) if (before[field].trim() !== '' && after[field].trim() === '') changes[field] = null;
  return changes;
}

/** The account fields for these settings: empty targets and empty numbers are left out. */
export function callHandlingFields(handling: CallHandling): Partial<AccountFieldsInput> {
  const fields: Partial<AccountFieldsInput> = {
    dnd: handling.dnd,
    dndCode: handling.dndCode,
    autoAnswer: handling.autoAnswer,
    transferPolicy: handling.transferPolicy,
    musicOnHold: handling.musicOnHold,
  };
  for (const field of forwardFields) {
    const target = handling[field].trim();
    if (target !== '') fields[field] = target;
  }
  if (handling.forwardNoAnswerSeconds !== null) fields.forwardNoAnswerSeconds = handling.forwardNoAnswerSeconds;
  if (handling.autoAnswerDelaySeconds !== null) fields.autoAnswerDelaySeconds = handling.autoAnswerDelaySeconds;
  return fields;
}

