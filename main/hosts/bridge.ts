/**
 * The one place where a host hands a request to the core: method checked against the
 * contract, params validated (errors name the field), result validated on the way out so a
 * core bug cannot leak a malformed payload. Generic over the contract: no per-method code.
 */
import type { Handlers, Method } from '../../shared/contract.js';
import { PhoneError, toErrorPayload, type ErrorPayload } from '../../shared/errors.js';
import { assertMethod, parseParams, parseResult } from '../../shared/validate.js';
import type { Logger } from '../core/log.js';

export type Outcome = { ok: true; result: unknown } | { ok: false; error: ErrorPayload };

export class ContractBridge {
  constructor(
    private readonly handlers: Handlers,
    private readonly log: Logger,
  ) {}

  /** Never throws: a failure comes back as an `ErrorPayload` ready to send. */
  async invoke(method: unknown, params: unknown): Promise<Outcome> {
    try {
      return { ok: true, result: await this.call(assertMethod(method), params) };
    } catch (error) {
      if (!(error instanceof PhoneError)) {
        this.log.error('request failed', { method: String(method).slice(0, 64), error: String(error) });
      }
      return { ok: false, error: toErrorPayload(error) };
    }
  }

  private async call<M extends Method>(method: M, params: unknown): Promise<unknown> {
    const handler = this.handlers[method] as (p: unknown) => Promise<unknown>;
    const result = await handler(parseParams(method, params));
    try {
      return parseResult(method, result);
    } catch (error) {
      this.log.error('core returned a result that breaks the contract', { method, error: String(error) });
      throw new PhoneError('internal', 'internal error');
    }
  }
}
