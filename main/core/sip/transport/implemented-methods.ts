/**
 * The request methods this phone implements (RFC 3261 §7.1 and its extensions: PRACK RFC 3262,
 * UPDATE RFC 3311, INFO RFC 6086, SUBSCRIBE/NOTIFY RFC 6665, REFER RFC 3515, MESSAGE RFC 3428,
 * PUBLISH RFC 3903). Methods are case-sensitive. A request with any other method is answered
 * 501 Not Implemented (§21.5.2) where it would otherwise be 400 for the mismatch of its CSeq
 * method (RFC 4475 §3.1.2.18).
 */
export const IMPLEMENTED_METHODS: readonly string[] = Object.freeze([
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'REGISTER',
  'PRACK',
  'UPDATE',
  'INFO',
  'SUBSCRIBE',
  'NOTIFY',
  'REFER',
  'MESSAGE',
  'PUBLISH',
]);
