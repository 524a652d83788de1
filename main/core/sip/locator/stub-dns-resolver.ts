/**
 * A `DnsResolver` answering from a table, for tests and for fixed configurations: no network.
 * It behaves as DNS does for what the table lacks: a name in no table at all is NXDOMAIN
 * (`ENOTFOUND`), a name known for other types only is NODATA (`ENODATA`).
 */
import type { AddressRecord, DnsRecordType, DnsResolver, NaptrRecord, SrvRecord } from './dns-resolver.js';
import { DnsError } from './dns-resolver.js';

/** The records for one name and type, or the error code a lookup of it rejects with. */
export type StubAnswer<T> = readonly T[] | { readonly error: string };

/** What the table holds per type; addresses may be written bare when the TTL does not matter. */
export interface StubRecordOf {
  NAPTR: NaptrRecord;
  SRV: SrvRecord;
  A: AddressRecord | string;
  AAAA: AddressRecord | string;
}

export type StubDnsTable = { readonly [K in DnsRecordType]?: Readonly<Record<string, StubAnswer<StubRecordOf[K]>>> };

type Answers = { readonly [K in DnsRecordType]: Map<string, StubAnswer<StubRecordOf[K]>> };

const TYPES: readonly DnsRecordType[] = ['NAPTR', 'SRV', 'A', 'AAAA'];

function canonical(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export class StubDnsResolver implements DnsResolver {
  /** Every lookup made, in order, as `"SRV _sip._udp.example.com"`. */
  readonly queries: string[] = [];
  private readonly answers: Answers = { NAPTR: new Map(), SRV: new Map(), A: new Map(), AAAA: new Map() };

  constructor(table: StubDnsTable = {}) {
    for (const [name, answer] of Object.entries(table.NAPTR ?? {})) this.set('NAPTR', name, answer);
    for (const [name, answer] of Object.entries(table.SRV ?? {})) this.set('SRV', name, answer);
    for (const [name, answer] of Object.entries(table.A ?? {})) this.set('A', name, answer);
    for (const [name, answer] of Object.entries(table.AAAA ?? {})) this.set('AAAA', name, answer);
  }

  /** Replaces (or, with `undefined`, removes) the answer for one name and type. */
  set<K extends DnsRecordType>(rrtype: K, name: string, answer: StubAnswer<StubRecordOf[K]> | undefined): void {
    const answers: Answers[K] = this.answers[rrtype];
    if (answer === undefined) answers.delete(canonical(name));
    else answers.set(canonical(name), answer);
  }

  /** How many lookups of this type and name were made. */
  count(rrtype: DnsRecordType, name: string): number {
    const key = `${rrtype} ${canonical(name)}`;
    return this.queries.filter((q) => q === key).length;
  }

  resolveNaptr(name: string): Promise<readonly NaptrRecord[]> {
    return this.lookup('NAPTR', name);
  }

  resolveSrv(name: string): Promise<readonly SrvRecord[]> {
    return this.lookup('SRV', name);
  }

  async resolve4(name: string): Promise<readonly AddressRecord[]> {
    return (await this.lookup('A', name)).map(toAddressRecord);
  }

  async resolve6(name: string): Promise<readonly AddressRecord[]> {
    return (await this.lookup('AAAA', name)).map(toAddressRecord);
  }

  private async lookup<K extends DnsRecordType>(rrtype: K, name: string): Promise<readonly StubRecordOf[K][]> {
    this.queries.push(`${rrtype} ${canonical(name)}`);
    // Answer on a later turn, as a real resolver would, so callers cannot depend on sync results.
    await Promise.resolve();
    const answers: Answers[K] = this.answers[rrtype];
    const answer = answers.get(canonical(name));
    if (answer === undefined) {
      const known = TYPES.some((t) => this.answers[t].has(canonical(name)));
      throw new DnsError(known ? 'ENODATA' : 'ENOTFOUND', rrtype, name);
    }
    if ('error' in answer) throw new DnsError(answer.error, rrtype, name);
    return answer;
  }
}

function toAddressRecord(record: AddressRecord | string): AddressRecord {
  return typeof record === 'string' ? { address: record } : record;
}
