/** What a caller of the bridge must handle: a port name it does not know, or one already taken. */
export class AudioBridgeError extends Error {
  override readonly name = 'AudioBridgeError';
  constructor(
    readonly code: 'unknown_port' | 'port_exists' | 'invalid_connection' | 'unsupported_format' | 'closed',
    message: string,
  ) {
    super(message);
  }
}
