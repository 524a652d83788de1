/**
 * The direction attribute of a media stream (RFC 4566 §6, RFC 3264 §5.1), always seen from the side
 * that wrote it: `sendonly` in the remote's SDP means the remote sends and we receive.
 */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export const MEDIA_DIRECTIONS: readonly MediaDirection[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

export function isMediaDirection(value: unknown): value is MediaDirection {
  return typeof value === 'string' && (MEDIA_DIRECTIONS as readonly string[]).includes(value);
}

export function sends(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'sendonly';
}

export function receives(direction: MediaDirection): boolean {
  return direction === 'sendrecv' || direction === 'recvonly';
}

export function directionOf(send: boolean, receive: boolean): MediaDirection {
  if (send) return receive ? 'sendrecv' : 'sendonly';
  return receive ? 'recvonly' : 'inactive';
}

/**
 * The answer's direction (RFC 3264 §6.1): we may send only if the offerer receives, and receive only
 * if it sends, within what we want ourselves. That is the whole table of §6.1:
 *
 * ```
 *   offer      answer (wanting sendrecv)
 *   sendrecv → sendrecv   (or anything narrower)
 *   sendonly → recvonly   (or inactive)
 *   recvonly → sendonly   (or inactive)
 *   inactive → inactive
 * ```
 */
export function answerDirection(offered: MediaDirection, wanted: MediaDirection): MediaDirection {
  return directionOf(receives(offered) && sends(wanted), sends(offered) && receives(wanted));
}

/**
 * What we do once an exchange completes, from our side: we send if we said so and the peer
 * receives; we receive if we said so and the peer sends.
 */
export function agreedDirection(ours: MediaDirection, theirs: MediaDirection): MediaDirection {
  return directionOf(sends(ours) && receives(theirs), receives(ours) && sends(theirs));
}

/**
 * The direction of a hold offer (RFC 6337 §5.3, RFC 3264 §8.4): stop receiving, keep what else we
 * had. sendrecv → sendonly; recvonly (the peer already holds us) → inactive.
 */
export function holdDirection(current: MediaDirection): MediaDirection {
  return directionOf(sends(current), false);
}
