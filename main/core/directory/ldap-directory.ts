/**
 * Live look-ups in an LDAP directory (RFC 4511) with ldapts: bind (or stay anonymous), one
 * subtree search bounded by a size and a time limit, unbind. Nothing is stored; each search
 * opens its own connection, so a directory that went away costs one failed search, not a
 * broken phone.
 *
 * TLS: ldaps:// from the first byte, or StartTLS (RFC 4511 §4.14, RFC 4513 §3) on ldap:// before
 * any bind, so a password never crosses in clear. The server's certificate is always verified
 * (chain and name, RFC 6125) against the configured CA, else the system's; never skipped.
 */
import { X509Certificate } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import { Client, ConfidentialityRequiredError, Filter, FilterParser, InvalidCredentialsError, NoSuchObjectError, ResultCodeError, TimeLimitExceededError, type Entry } from 'ldapts';
import type { ContactAddress, DirectoryEntry, LdapSettings } from '../../../shared/model.js';
import { PhoneError } from '../../../shared/errors.js';
import { DirectoryError } from './directory-error.js';

export const LDAP_PASSWORD_KEY = 'directory:ldap:password';

/** The attributes asked for: names, numbers (RFC 4519/4524, inetOrgPerson RFC 2798) and SIP addresses. */
const ATTRIBUTES = ['cn', 'displayName', 'o', 'telephoneNumber', 'mobile', 'homePhone', 'ipPhone', 'mail', 'sipURI', 'msRTCSIP-PrimaryUserAddress'];

/** Numbers and their labels, in the order they are listed. */
const PHONE_ATTRIBUTES: readonly [string, string][] = [
  ['telephoneNumber', 'work'],
  ['mobile', 'mobile'],
  ['homePhone', 'home'],
  ['ipPhone', 'ip'],
];
const SIP_ATTRIBUTES = ['sipURI', 'msRTCSIP-PrimaryUserAddress'];

/**
 * The filter for a query: every {query} in the template becomes the query with the RFC 4515
 * §3 specials (`*`, `(`, `)`, `\`, NUL) written as `\XX`, so a query can never change the filter.
 */
export function filterFor(template: string, query: string): string {
  const escaped = Filter.escape(query);
  return template.replaceAll('{query}', escaped);
}

/** Throws a DirectoryError (bad_filter) when the template does not parse as an RFC 4515 filter. */
export function checkFilterTemplate(template: string): void {
  try {
    const filter = filterFor(template, 'x');
    // ldapts's parser lets a missing final ")" of (&...) through; in RFC 4515 every literal
    // parenthesis in a value is escaped, so the bare ones must balance.
    let depth = 0;
    for (const c of filter) {
      depth += c === '(' ? 1 : c === ')' ? -1 : 0;
      if (depth < 0) break;
    }
    if (depth !== 0) throw new Error('unbalanced parentheses');
    FilterParser.parseString(filter);
  } catch (error) {
    throw new DirectoryError('bad_filter', `not an LDAP filter: ${error instanceof Error ? error.message : String(error)}`, 'filter');
  }
}

/**
 * Refuses TLS settings that cannot work: StartTLS on an ldaps:// URL, a CA that is not PEM
 * certificates. Throws a PhoneError (invalid_params) naming the field.
 */
export function checkTlsSettings(settings: Pick<LdapSettings, 'url' | 'startTls' | 'caCertificate'>): void {
  if (settings.startTls && /^ldaps:/i.test(settings.url)) throw new PhoneError('invalid_params', 'StartTLS is for ldap:// URLs; ldaps:// is TLS from the start', 'startTls');
  if (settings.caCertificate === undefined) return;
  const blocks = settings.caCertificate.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new PhoneError('invalid_params', 'the CA certificate must be PEM text (-----BEGIN CERTIFICATE----- …)', 'caCertificate');
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      throw new PhoneError('invalid_params', `not a certificate: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500), 'caCertificate');
    }
  }
}

export interface LdapSearchResult {
  entries: DirectoryEntry[];
  /** The directory had more entries than the limit. */
  truncated: boolean;
}

export class LdapDirectory {
  constructor(
    private readonly settings: LdapSettings,
    private readonly password: string | undefined,
  ) {}

  async search(query: string, limit = this.settings.sizeLimit): Promise<LdapSearchResult> {
    const size = Math.min(limit, this.settings.sizeLimit);
    const timeoutMs = this.settings.timeLimitSeconds * 1000;
    const tls: ConnectionOptions = {
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      ...(this.settings.caCertificate === undefined ? {} : { ca: this.settings.caCertificate }),
    };
    const ldaps = /^ldaps:/i.test(this.settings.url);
    const client = new Client({ url: this.settings.url, timeout: timeoutMs, connectTimeout: timeoutMs, ...(ldaps ? { tlsOptions: tls } : {}) });
    try {
      if (this.settings.startTls && !ldaps) await startTls(client, tls);
      if (this.settings.bindDn !== undefined) await client.bind(this.settings.bindDn, this.password ?? '');
      // One more than asked: a full extra entry is how we know the list was cut.
      const { searchEntries } = await client.search(this.settings.baseDn, {
        scope: 'sub',
        filter: filterFor(this.settings.filter, query),
        attributes: ATTRIBUTES,
        sizeLimit: size + 1,
        timeLimit: this.settings.timeLimitSeconds,
      });
      const entries = searchEntries.flatMap((entry) => {
        const mapped = entryOf(entry);
        return mapped === undefined ? [] : [mapped];
      });
      return { entries: entries.slice(0, size), truncated: searchEntries.length > size };
    } catch (error) {
      throw toDirectoryError(error);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}

function values(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v).trim()).filter((v) => v !== '');
}

function entryOf(entry: Entry): DirectoryEntry | undefined {
  const name = values(entry, 'displayName')[0] ?? values(entry, 'cn')[0];
  if (name === undefined) return undefined;
  const addresses: ContactAddress[] = [];
  for (const [attribute, label] of PHONE_ATTRIBUTES) {
    for (const value of values(entry, attribute)) addresses.push({ kind: 'phone', label, value: value.slice(0, 256) });
  }
  for (const attribute of SIP_ATTRIBUTES) {
    for (const value of values(entry, attribute)) addresses.push({ kind: 'sip', value: (/^sips?:/i.test(value) ? value : `sip:${value}`).slice(0, 256) });
  }
  const organisation = values(entry, 'o')[0];
  const email = values(entry, 'mail')[0];
  return {
    dn: entry.dn.slice(0, 2048),
    name: name.slice(0, 128),
    ...(organisation === undefined ? {} : { organisation: organisation.slice(0, 128) }),
    addresses: addresses.slice(0, 20),
    ...(email === undefined ? {} : { email: email.slice(0, 256) }),
  };
}

async function startTls(client: Client, tls: ConnectionOptions): Promise<void> {
  try {
    await client.startTLS(tls);
  } catch (error) {
    // The server said no to the extended operation (RFC 4511 §4.14.2: protocolError, unavailable…).
    if (error instanceof ResultCodeError) throw new DirectoryError('tls', `the LDAP server does not offer StartTLS: ${error.name} (${error.code})`, 'startTls');
    throw error;
  }
}

/** Node's codes for a certificate that does not verify (chain, name, dates). */
const CERTIFICATE_ERRORS = /^(?:SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(?:_LOCALLY)?|CERT_SIGNATURE_FAILURE|CERT_UNTRUSTED|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|INVALID_CA|CERT_REJECTED)$/;

function toDirectoryError(error: unknown): DirectoryError {
  if (error instanceof DirectoryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && CERTIFICATE_ERRORS.test(code)) {
    return new DirectoryError('tls', `the LDAP server's certificate is not trusted (${code}: ${message}); check the CA certificate`, 'caCertificate');
  }
  // RFC 4513 §3: a server that wants TLS before a bind says confidentialityRequired (13).
  if (error instanceof ConfidentialityRequiredError) return new DirectoryError('tls', 'the LDAP server requires TLS: use an ldaps:// URL or StartTLS', 'startTls');
  if (/\b(?:SSL|TLS)\b|handshake|wrong version number/i.test(message)) return new DirectoryError('tls', `TLS with the LDAP server failed: ${message}`);
  if (error instanceof InvalidCredentialsError) return new DirectoryError('authentication', 'the LDAP server refused the bind DN or password', 'bindDn');
  if (error instanceof TimeLimitExceededError || /timeout|timed out/i.test(message)) return new DirectoryError('timeout', 'the LDAP server did not answer in time');
  // RFC 4511 §4.5.1.5: an entry the bind may not see reads as absent, so this covers both.
  if (error instanceof NoSuchObjectError) return new DirectoryError('server', 'the base DN does not exist, or this bind DN may not read it', 'baseDn');
  if (error instanceof ResultCodeError) return new DirectoryError('server', `LDAP: ${error.name} (${error.code})`);
  if (/ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|certificate|socket/i.test(message)) return new DirectoryError('unreachable', `cannot reach the LDAP server: ${message}`);
  return new DirectoryError('server', `LDAP: ${message}`);
}
