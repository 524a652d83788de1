/**
 * An account's codec order as the forms edit it: every voice codec once, enabled or not, in the
 * user's order. Pure functions, shared by the add form and the edit panel, tested without Svelte.
 */
import { DEFAULT_CODEC_ORDER, type AccountChanges, type AudioCodecName } from '../../../shared/model.js';

export interface CodecChoice {
  readonly name: AudioCodecName;
  readonly enabled: boolean;
}

/** How each codec is called on screen (its RTP name is in brackets where it differs). */
export const codecLabels: Readonly<Record<AudioCodecName, string>> = {
  opus: 'Opus',
  G722: 'G.722',
  PCMU: 'G.711 μ-law (PCMU)',
  PCMA: 'G.711 A-law (PCMA)',
};

/** The account's codecs first, in its order, then the ones it left out (off), in our order. */
export function codecChoicesOf(codecs: readonly AudioCodecName[] | undefined): CodecChoice[] {
  const enabled = codecs ?? DEFAULT_CODEC_ORDER;
  return [
    ...enabled.map((name) => ({ name, enabled: true })),
    ...DEFAULT_CODEC_ORDER.filter((name) => !enabled.includes(name)).map((name) => ({ name, enabled: false })),
  ];
}

/** The list with the codec at `index` moved one place up (-1) or down (+1); at an end, unchanged. */
export function moveCodec(list: readonly CodecChoice[], index: number, by: -1 | 1): CodecChoice[] {
  const to = index + by;
  const moved = [...list];
  const a = moved[index];
  const b = moved[to];
  if (a === undefined || b === undefined) return moved;
  moved[index] = b;
  moved[to] = a;
  return moved;
}

export function enabledCodecs(list: readonly CodecChoice[]): AudioCodecName[] {
  return list.filter((choice) => choice.enabled).map((choice) => choice.name);
}

function sameOrder(a: readonly AudioCodecName[], b: readonly AudioCodecName[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** The `codecs` field for a new account: absent when it is our default (all, our order). */
export function codecsField(list: readonly CodecChoice[]): { codecs?: AudioCodecName[] } {
  const codecs = enabledCodecs(list);
  return sameOrder(codecs, DEFAULT_CODEC_ORDER) ? {} : { codecs };
}

/** The change for `accounts.update`: none if unchanged, null (removed) when back to the default. */
export function codecsChange(before: readonly AudioCodecName[] | undefined, list: readonly CodecChoice[]): Pick<AccountChanges, 'codecs'> {
  const codecs = enabledCodecs(list);
  if (sameOrder(codecs, before ?? DEFAULT_CODEC_ORDER)) return {};
  return sameOrder(codecs, DEFAULT_CODEC_ORDER) ? { codecs: null } : { codecs };
}
