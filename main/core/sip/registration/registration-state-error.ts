/**
 * A registration was asked to move between states its machine does not allow (see
 * `RegistrationState`): a bug in the caller's sequencing, reported rather than ignored.
 */
export class RegistrationStateError extends Error {
  override readonly name = 'RegistrationStateError';

  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super(`registration: illegal state transition from ${from} to ${to}`);
  }
}
