/** The body of a NOTIFY the notifier sends: the state of the resource (RFC 6665 §4.2.2). */
export interface NotifyContent {
  /** The full Content-Type value, e.g. `application/pidf+xml` or `message/sipfrag;version=2.0`. */
  readonly contentType: string;
  readonly body: string | Uint8Array;
}
