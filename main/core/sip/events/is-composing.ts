/**
 * application/im-iscomposing+xml (RFC 3994 §6): "is typing" indications sent as MESSAGEs.
 *
 *   <isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing">
 *     <state>active</state>                   active / idle (§3)
 *     <lastactive>2003-01-27T10:43:00Z</lastactive>   optional, in idle (§6)
 *     <contenttype>text/plain</contenttype>   optional
 *     <refresh>90</refresh>                   optional, seconds, in active (§4, §6)
 *   </isComposing>
 *
 * §4: an active state without a refresh within 120 s (or the refresh interval) is taken as idle.
 */
import { bodyText } from './body-limits.js';
import { malformedBody } from './event-body-error.js';
import { parseXml } from './xml/xml-parser.js';
import { writeXmlDocument } from './xml/xml-writer.js';

export const IS_COMPOSING_CONTENT_TYPE = 'application/im-iscomposing+xml';
export const IS_COMPOSING_NAMESPACE = 'urn:ietf:params:xml:ns:im-iscomposing';

/** An indication is a handful of elements. */
export const maxIsComposingBytes = 4 * 1024;

/** §4: the idle timeout when the active indication gives no refresh. */
export const defaultActiveTimeoutSeconds = 120;

export interface IsComposing {
  readonly state: 'active' | 'idle';
  /** ISO 8601 (§6). */
  readonly lastActive?: string;
  readonly contentType?: string;
  /** Seconds until a new indication must come for "active" to hold (§4). */
  readonly refresh?: number;
}

export function parseIsComposing(body: Uint8Array | string, maxBytes = maxIsComposingBytes): IsComposing {
  const root = parseXml(bodyText(body, 'iscomposing', maxBytes), 'iscomposing');
  if (!root.is(IS_COMPOSING_NAMESPACE, 'isComposing')) throw malformedBody('iscomposing', 'the root is not <isComposing> of urn:ietf:params:xml:ns:im-iscomposing');
  const state = root.element(IS_COMPOSING_NAMESPACE, 'state')?.text;
  if (state !== 'active' && state !== 'idle') throw malformedBody('iscomposing', '<state> is neither active nor idle');
  const lastActive = root.element(IS_COMPOSING_NAMESPACE, 'lastactive')?.text;
  if (lastActive !== undefined && Number.isNaN(Date.parse(lastActive))) throw malformedBody('iscomposing', 'bad <lastactive>');
  const contentType = root.element(IS_COMPOSING_NAMESPACE, 'contenttype')?.text;
  const rawRefresh = root.element(IS_COMPOSING_NAMESPACE, 'refresh')?.text;
  // §6: refresh is a positiveInteger.
  if (rawRefresh !== undefined && !/^[0-9]{1,6}$/.test(rawRefresh)) throw malformedBody('iscomposing', 'bad <refresh>');
  const refresh = rawRefresh === undefined ? undefined : Number(rawRefresh);
  if (refresh === 0) throw malformedBody('iscomposing', 'bad <refresh>');
  return {
    state,
    ...(lastActive === undefined ? {} : { lastActive }),
    ...(contentType === undefined || contentType === '' ? {} : { contentType }),
    ...(refresh === undefined ? {} : { refresh }),
  };
}

export function formatIsComposing(indication: IsComposing): string {
  return writeXmlDocument({
    name: 'isComposing',
    attributes: [['xmlns', IS_COMPOSING_NAMESPACE]],
    children: [
      { name: 'state', children: [indication.state] },
      indication.lastActive === undefined ? undefined : { name: 'lastactive', children: [indication.lastActive] },
      indication.contentType === undefined ? undefined : { name: 'contenttype', children: [indication.contentType] },
      indication.refresh === undefined ? undefined : { name: 'refresh', children: [String(indication.refresh)] },
    ],
  });
}

/** §4: how long an "active" indication holds without another. */
export function activeTimeoutSeconds(indication: IsComposing): number {
  return indication.refresh ?? defaultActiveTimeoutSeconds;
}
