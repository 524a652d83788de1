/**
 * The four DNS lookups RFC 3263 needs, as an interface: the locator never names a DNS library,
 * so tests run on a table of records and the app runs on node:dns (or anything else).
 */

/** RFC 3403 §4.1, with `replacement` as a domain name ("" or "." for none). */
export interface NaptrRecord {
  readonly order: number;
  readonly preference: number;
  readonly flags: string;
  readonly service: string;
  readonly regexp: string;
  readonly replacement: string;
  /** Seconds, when the resolver reports it. */
  readonly ttl?: number;
}

/** RFC 2782; `name` is the Target ("." or "" meaning no service). */
export interface SrvRecord {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  readonly name: string;
  readonly ttl?: number;
}

/** An A or AAAA record. */
export interface AddressRecord {
  readonly address: string;
  readonly ttl?: number;
}

/**
 * A resolver answers with the records found. "No such name" and "no records of that type" may be
 * reported either as an empty array or by rejecting with a `DnsError` coded `ENODATA` or
 * `ENOTFOUND` (as node:dns does); the locator treats them alike and moves to the next step.
 * Any other rejection (`ESERVFAIL`, `ETIMEOUT`, `EREFUSED`…) is a failure to get an answer.
 */
export interface DnsResolver {
  resolveNaptr(name: string): Promise<readonly NaptrRecord[]>;
  resolveSrv(name: string): Promise<readonly SrvRecord[]>;
  resolve4(name: string): Promise<readonly AddressRecord[]>;
  resolve6(name: string): Promise<readonly AddressRecord[]>;
}

export type DnsRecordType = 'NAPTR' | 'SRV' | 'A' | 'AAAA';

/** node:dns's codes for an authoritative "nothing here" (NOERROR/NODATA and NXDOMAIN). */
const NO_DATA_CODES: ReadonlySet<string> = new Set(['ENODATA', 'ENOTFOUND']);

/** A lookup that did not produce records, with node:dns's error code (`ENODATA`, `ESERVFAIL`, …). */
export class DnsError extends Error {
  override readonly name: string = 'DnsError';

  constructor(
    readonly code: string,
    readonly rrtype: DnsRecordType,
    readonly hostname: string,
    options?: { cause?: unknown },
  ) {
    super(`${rrtype} ${hostname}: ${code}`, options);
  }

  /** Whether DNS answered that there is nothing (as opposed to not answering usefully). */
  get isNoData(): boolean {
    return NO_DATA_CODES.has(this.code);
  }
}

/** Whether `error` is the "no records" answer, from a `DnsError` or a raw node:dns error. */
export function isNoDataError(error: unknown): boolean {
  if (error instanceof DnsError) return error.isNoData;
  if (!(error instanceof Error) || !('code' in error)) return false;
  return typeof error.code === 'string' && NO_DATA_CODES.has(error.code);
}

/** `error` as a `DnsError` (a foreign rejection keeps its `code` when it has one). */
export function toDnsError(error: unknown, rrtype: DnsRecordType, hostname: string): DnsError {
  if (error instanceof DnsError) return error;
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'EUNKNOWN';
  return new DnsError(code, rrtype, hostname, { cause: error });
}
