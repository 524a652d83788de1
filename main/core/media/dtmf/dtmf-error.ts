/** A DTMF request we cannot carry out (unknown digit, duration or volume out of range): the caller's mistake. */
export class DtmfError extends Error {
  override readonly name: string = 'DtmfError';
}

/** A telephone-event payload or a SIP INFO dtmf-relay body from the network that we refuse to read. */
export class DtmfParseError extends Error {
  override readonly name: string = 'DtmfParseError';
}
