/**
 * Event-package bodies: parsers that refuse malformed input with an `EventBodyError` (answer its
 * `statusCode`, 400 or 413) and builders for what we send. message/sipfrag (RFC 3420),
 * application/pidf+xml with RPID (RFC 3863, RFC 4480), application/dialog-info+xml (RFC 4235),
 * application/simple-message-summary (RFC 3842), application/im-iscomposing+xml (RFC 3994).
 */
export { EventBodyError, malformedBody } from './event-body-error.js';
export type { EventBodyErrorCode } from './event-body-error.js';
export { bodyText, defaultMaxBodyBytes } from './body-limits.js';
export { SIPFRAG_CONTENT_TYPE, formatSipfrag, maxSipfragBytes, parseSipfrag, parseSipfragStatus } from './sipfrag.js';
export type { Sipfrag, SipfragRequestLine, SipfragStatusLine } from './sipfrag.js';
export { DATA_MODEL_NAMESPACE, PIDF_CONTENT_TYPE, PIDF_NAMESPACE, RPID_ACTIVITIES, RPID_NAMESPACE, formatPidf, parsePidf } from './pidf.js';
export type { OwnPresence, PresenceDocument, PresenceNote, PresencePerson, PresenceTuple, RpidActivity } from './pidf.js';
export { summarizePresence } from './presence-summary.js';
export type { PresenceSummary } from './presence-summary.js';
export { DIALOG_INFO_CONTENT_TYPE, DIALOG_INFO_NAMESPACE, formatDialogInfo, parseDialogInfo } from './dialog-info.js';
export type { DialogInfoDialog, DialogInfoDocument, DialogInfoState, DialogParticipant } from './dialog-info.js';
export { DialogInfoView } from './dialog-info-view.js';
export { MESSAGE_SUMMARY_CONTENT_TYPE, formatMessageSummary, maxMessageSummaryBytes, parseMessageSummary } from './message-summary.js';
export type { MessageCounts, MessageSummary } from './message-summary.js';
export {
  IS_COMPOSING_CONTENT_TYPE,
  IS_COMPOSING_NAMESPACE,
  activeTimeoutSeconds,
  defaultActiveTimeoutSeconds,
  formatIsComposing,
  maxIsComposingBytes,
  parseIsComposing,
} from './is-composing.js';
export type { IsComposing } from './is-composing.js';
export { XmlElement } from './xml/xml-element.js';
export type { XmlAttribute, XmlNode } from './xml/xml-element.js';
export { defaultXmlLimits, parseXml } from './xml/xml-parser.js';
export type { XmlLimits } from './xml/xml-parser.js';
export { escapeXmlAttribute, escapeXmlText, writeXml, writeXmlDocument } from './xml/xml-writer.js';
export type { XmlOut } from './xml/xml-writer.js';
