/**
 * application/dialog-info+xml (RFC 4235): the dialogs of a user, as the "dialog" event package
 * reports them (busy lamp field, call pickup).
 *
 *   <dialog-info version="0" state="full" entity="sip:alice@example.com">     §4.1
 *     <dialog id="..." call-id="..." local-tag="..." remote-tag="..." direction="initiator">
 *       <state event="..." code="...">confirmed</state> <duration>...</duration>
 *       <local><identity display="...">sip:...</identity><target uri="sip:..."/></local>
 *       <remote>...</remote>
 *     </dialog>
 *   </dialog-info>
 *
 * The notifier numbers documents (`version`, §4.1.1) and sends either the full state or only
 * what changed (`state="partial"`); `DialogInfoView` (dialog-info-view.ts) applies them.
 */
import { bodyText, defaultMaxBodyBytes } from './body-limits.js';
import { malformedBody } from './event-body-error.js';
import type { XmlElement } from './xml/xml-element.js';
import { parseXml } from './xml/xml-parser.js';
import { writeXmlDocument, type XmlOut } from './xml/xml-writer.js';

export const DIALOG_INFO_CONTENT_TYPE = 'application/dialog-info+xml';
export const DIALOG_INFO_NAMESPACE = 'urn:ietf:params:xml:ns:dialog-info';

/** §3.7.1: the dialog state machine's states. */
export type DialogInfoState = 'trying' | 'proceeding' | 'early' | 'confirmed' | 'terminated';
const STATES: readonly string[] = ['trying', 'proceeding', 'early', 'confirmed', 'terminated'];

export interface DialogParticipant {
  /** <identity>: the URI (§4.1.6.1) and its display attribute. */
  readonly identity?: string;
  readonly display?: string;
  /** <target uri="...">: the remote target (Contact) (§4.1.6.2). */
  readonly target?: string;
}

export interface DialogInfoDialog {
  readonly id: string;
  readonly callId?: string;
  readonly localTag?: string;
  readonly remoteTag?: string;
  /** §4.1.2: "initiator" (the entity sent the INVITE) or "recipient". */
  readonly direction?: 'initiator' | 'recipient';
  readonly state: DialogInfoState;
  /** §4.1.3: why it changed state: cancelled, rejected, replaced, local-bye, remote-bye, error, timeout... */
  readonly event?: string;
  /** The response code that caused it (§4.1.3). */
  readonly code?: number;
  /** Seconds since the dialog was confirmed (§4.1.4). */
  readonly duration?: number;
  readonly local?: DialogParticipant;
  readonly remote?: DialogParticipant;
}

export interface DialogInfoDocument {
  readonly entity: string;
  readonly version: number;
  /** §4.1.1: "full" (the whole state) or "partial" (changes only). */
  readonly state: 'full' | 'partial';
  readonly dialogs: readonly DialogInfoDialog[];
}

export function parseDialogInfo(body: Uint8Array | string, maxBytes = defaultMaxBodyBytes): DialogInfoDocument {
  const root = parseXml(bodyText(body, 'dialog-info', maxBytes), 'dialog-info');
  if (!root.is(DIALOG_INFO_NAMESPACE, 'dialog-info')) throw malformedBody('dialog-info', 'the root is not <dialog-info> of urn:ietf:params:xml:ns:dialog-info');
  // §4.1.1: version, state and entity are mandatory.
  const version = nonNegative(root.attribute('version'), 'version');
  if (version === undefined) throw malformedBody('dialog-info', '<dialog-info> without version');
  const state = root.attribute('state');
  if (state !== 'full' && state !== 'partial') throw malformedBody('dialog-info', 'state is neither full nor partial');
  const entity = root.attribute('entity');
  if (entity === undefined || entity === '') throw malformedBody('dialog-info', '<dialog-info> without entity');
  return { entity, version, state, dialogs: root.elements(DIALOG_INFO_NAMESPACE, 'dialog').map(readDialog) };
}

function readDialog(dialog: XmlElement): DialogInfoDialog {
  const id = dialog.attribute('id');
  if (id === undefined || id === '') throw malformedBody('dialog-info', '<dialog> without id');
  const direction = dialog.attribute('direction');
  if (direction !== undefined && direction !== 'initiator' && direction !== 'recipient') throw malformedBody('dialog-info', 'bad direction');
  // §4.1.3: "<state> ... MUST be present".
  const stateElement = dialog.element(DIALOG_INFO_NAMESPACE, 'state');
  if (stateElement === undefined) throw malformedBody('dialog-info', '<dialog> without <state>');
  const state = stateElement.text;
  if (!STATES.includes(state)) throw malformedBody('dialog-info', 'unknown dialog state');
  const event = stateElement.attribute('event');
  const code = stateElement.attribute('code');
  if (code !== undefined && !/^[1-6][0-9]{2}$/.test(code)) throw malformedBody('dialog-info', 'bad state code');
  const duration = nonNegative(dialog.element(DIALOG_INFO_NAMESPACE, 'duration')?.text, 'duration');
  const local = dialog.element(DIALOG_INFO_NAMESPACE, 'local');
  const remote = dialog.element(DIALOG_INFO_NAMESPACE, 'remote');
  return {
    id,
    ...optional('callId', dialog.attribute('call-id')),
    ...optional('localTag', dialog.attribute('local-tag')),
    ...optional('remoteTag', dialog.attribute('remote-tag')),
    ...(direction === undefined ? {} : { direction }),
    state: state as DialogInfoState,
    ...optional('event', event),
    ...(code === undefined ? {} : { code: Number(code) }),
    ...(duration === undefined ? {} : { duration }),
    ...(local === undefined ? {} : { local: readParticipant(local) }),
    ...(remote === undefined ? {} : { remote: readParticipant(remote) }),
  };
}

function readParticipant(participant: XmlElement): DialogParticipant {
  const identity = participant.element(DIALOG_INFO_NAMESPACE, 'identity');
  const target = participant.element(DIALOG_INFO_NAMESPACE, 'target');
  const uri = target?.attribute('uri');
  if (target !== undefined && (uri === undefined || uri === '')) throw malformedBody('dialog-info', '<target> without uri');
  return {
    ...optional('identity', identity?.text),
    ...optional('display', identity?.attribute('display')),
    ...optional('target', uri),
  };
}

function nonNegative(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[0-9]{1,10}$/.test(raw.trim())) throw malformedBody('dialog-info', `bad ${name}`);
  return Number(raw.trim());
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** Our dialogs as a full dialog-info document (§4.1), e.g. to serve a busy lamp field. */
export function formatDialogInfo(document: DialogInfoDocument): string {
  return writeXmlDocument({
    name: 'dialog-info',
    attributes: [
      ['xmlns', DIALOG_INFO_NAMESPACE],
      ['version', document.version],
      ['state', document.state],
      ['entity', document.entity],
    ],
    children: document.dialogs.map(writeDialog),
  });
}

function writeDialog(dialog: DialogInfoDialog): XmlOut {
  return {
    name: 'dialog',
    attributes: [
      ['id', dialog.id],
      ['call-id', dialog.callId],
      ['local-tag', dialog.localTag],
      ['remote-tag', dialog.remoteTag],
      ['direction', dialog.direction],
    ],
    children: [
      { name: 'state', attributes: [['event', dialog.event], ['code', dialog.code]], children: [dialog.state] },
      dialog.duration === undefined ? undefined : { name: 'duration', children: [String(dialog.duration)] },
      writeParticipant('local', dialog.local),
      writeParticipant('remote', dialog.remote),
    ],
  };
}

function writeParticipant(name: string, participant: DialogParticipant | undefined): XmlOut | undefined {
  if (participant === undefined) return undefined;
  return {
    name,
    children: [
      participant.identity === undefined ? undefined : { name: 'identity', attributes: [['display', participant.display]], children: [participant.identity] },
      participant.target === undefined ? undefined : { name: 'target', attributes: [['uri', participant.target]] },
    ],
  };
}

