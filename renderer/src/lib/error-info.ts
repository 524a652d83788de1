/**
 * What the UI shows for a failed request. Errors normally arrive as `PhoneError`, but one that
 * crossed Electron's context bridge may be a plain object or Error with the same fields, so
 * this reads the fields rather than trusting `instanceof`.
 */
import { errorCodes, type ErrorCode } from '../../../shared/errors.js';
import { t } from './strings.js';

export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
  /** The form field to show it next to, e.g. `domain`. */
  readonly field?: string;
}

export function errorInfo(error: unknown): ErrorInfo {
  const e = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const code = errorCodes.find((c) => c === e['code']) ?? 'internal';
  const field = typeof e['field'] === 'string' && e['field'] !== '' ? e['field'] : undefined;
  let message = typeof e['message'] === 'string' && e['message'] !== '' ? e['message'] : t.connection.unknownError;
  // Schema errors read "calls.dial: target: enter a number…"; beside the field, the message is enough.
  if (field !== undefined) {
    const marker = `: ${field}: `;
    const at = message.indexOf(marker);
    if (at >= 0) message = message.slice(at + marker.length);
  }
  return field === undefined ? { code, message } : { code, message, field };
}

/** The error for one field (its first path segment), if that is where the error belongs. */
export function fieldError(error: ErrorInfo | undefined, field: string): string | undefined {
  return error?.field !== undefined && error.field.split('.')[0] === field ? error.message : undefined;
}
