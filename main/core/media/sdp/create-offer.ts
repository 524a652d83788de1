import { DEFAULT_TELEPHONE_EVENTS, isTelephoneEvent } from './codec-description.js';
import type { LocalDescription } from './local-description.js';
import { checkCryptoLines, checkLocalDescription } from './local-description.js';
import { writeSessionDescription } from './write-session-description.js';

/**
 * Our offer (RFC 3264 §5): one audio stream with our codecs in order of preference, each at its own
 * payload type (§5.1: the offer's order is its preference). Throws RangeError for an impossible
 * local description (a programming error, not a network one).
 */
export function createOffer(local: LocalDescription): string {
  checkLocalDescription(local);
  const { audio } = local;
  const crypto = typeof audio.crypto === 'function' ? audio.crypto([]) : (audio.crypto ?? []);
  checkCryptoLines(crypto);
  // RTP/SAVP without DTLS needs SDES keys in the offer (RFC 4568 §7.1.1).
  if (audio.profile === 'RTP/SAVP' && crypto.length === 0) throw new RangeError('an RTP/SAVP offer needs a=crypto lines');
  const codecs = audio.codecs.map((codec) =>
    isTelephoneEvent(codec) && codec.fmtp === undefined ? { ...codec, fmtp: DEFAULT_TELEPHONE_EVENTS } : codec,
  );
  return writeSessionDescription({
    username: local.username ?? '-',
    sessionId: local.sessionId,
    sessionVersion: local.sessionVersion,
    address: local.address,
    sections: [
      {
        kind: 'audio',
        port: audio.port,
        protocol: audio.profile,
        codecs,
        ...(audio.ptime === undefined ? {} : { ptime: audio.ptime }),
        ...(audio.rtcpPort === undefined ? {} : { rtcpPort: audio.rtcpPort }),
        rtcpMux: audio.rtcpMux === true,
        crypto,
        direction: audio.direction,
      },
    ],
  });
}
