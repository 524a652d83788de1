/**
 * The account's credentials cannot be used to answer a challenge (e.g. an empty username).
 * The message names the realm and the problem, never the password.
 */
export class DigestCredentialsError extends Error {
  override readonly name = 'DigestCredentialsError';

  constructor(
    readonly realm: string,
    problem: string,
  ) {
    super(`credentials for realm "${realm}": ${problem}`);
  }
}
