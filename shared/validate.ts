/** Runtime checks of payloads against the contract, with errors that name the field. */
import type { z } from 'zod';
import { ContractError, PhoneError } from './errors.js';
import {
  events,
  isEventName,
  isMethod,
  requests,
  type EventName,
  type EventPayload,
  type Method,
  type Params,
  type Result,
} from './contract.js';

function check(schema: z.ZodType, value: unknown, what: string): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String) ?? [];
  if (issue?.code === 'unrecognized_keys') path.push(...issue.keys);
  const field = path.length > 0 ? path.join('.') : '(root)';
  throw new ContractError(`${what}: ${field}: ${issue?.message ?? 'invalid'}`, field);
}

export function assertMethod(name: unknown): Method {
  if (!isMethod(name)) throw new PhoneError('unknown_method', `no method ${JSON.stringify(String(name)).slice(0, 80)}`);
  return name;
}

/** Validates request params; a missing params object means `{}`. */
export function parseParams<M extends Method>(method: M, params: unknown): Params<M> {
  return check(requests[method].params, params ?? {}, method) as Params<M>;
}

export function parseResult<M extends Method>(method: M, result: unknown): Result<M> {
  return check(requests[method].result, result, `${method} result`) as Result<M>;
}

export function parseEvent<E extends EventName>(name: E, payload: unknown): EventPayload<E> {
  return check(events[name], payload, name) as EventPayload<E>;
}

export function assertEventName(name: unknown): EventName {
  if (!isEventName(name)) throw new PhoneError('invalid_params', `no event ${JSON.stringify(String(name)).slice(0, 80)}`, 'event');
  return name;
}

/** Validates any value against a schema, with the same field-naming error as the contract. */
export function parseWith(schema: z.ZodType, value: unknown, what: string): unknown {
  return check(schema, value, what);
}
