/**
 * Errors that cross the contract. A request either returns its result or fails with a
 * `PhoneError` whose `code` says what kind of failure it was; schema failures also name the
 * field. The same shape travels over Electron IPC and JSON-RPC, so a renderer sees the same
 * error whichever host it runs in.
 */
import { z } from 'zod';

export const errorCodes = [
  'invalid_params', // params failed the method's schema (field says which)
  'unknown_method', // no such method in the contract
  'not_found', // the account/call named does not exist
  'conflict', // e.g. an account with the same identity already exists
  'invalid_state', // e.g. answering a call that is not ringing
  'unsupported', // a capability this build or host does not provide
  'unavailable', // the core is shutting down or a dependency is missing
  'internal', // a bug: the message is generic, details go to the log
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export class PhoneError extends Error {
  override readonly name: string = 'PhoneError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Dotted path of the offending field, e.g. `account.domain`, when one is to blame. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A payload (params, result or event) that failed its schema. */
export class ContractError extends PhoneError {
  override readonly name = 'ContractError';
  constructor(message: string, field: string) {
    super('invalid_params', message, field);
  }
}

export const ErrorPayload = z
  .object({
    code: z.enum(errorCodes),
    message: z.string().max(2000),
    field: z.string().max(200).optional(),
  })
  .strict();
export type ErrorPayload = z.infer<typeof ErrorPayload>;

/** What a host sends back for a failed request. Bugs are not described to the caller. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof PhoneError) {
    return error.field === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, field: error.field };
  }
  return { code: 'internal', message: 'internal error' };
}

export function fromErrorPayload(payload: unknown): PhoneError {
  const parsed = ErrorPayload.safeParse(payload);
  if (!parsed.success) return new PhoneError('internal', 'malformed error from host');
  const { code, message, field } = parsed.data;
  return code === 'invalid_params' && field !== undefined
    ? new ContractError(message, field)
    : new PhoneError(code, message, field);
}
