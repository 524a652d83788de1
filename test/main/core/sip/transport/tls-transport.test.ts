import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LayerSet, destination, request, responseTo, waitFor } from './transport-fixtures.js';

interface Pki {
  readonly ca: string;
  readonly key: string;
  readonly cert: string;
}

/** A throw-away CA and a leaf for sip.example.test, made with the openssl CLI. */
function makePki(dir: string): Pki {
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Softphone Test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=sip.example.test']);
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=DNS:sip.example.test\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.crt', '-days', '2', '-extfile', 'leaf.ext']);
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  return { ca: read('ca.crt'), key: read('leaf.key'), cert: read('leaf.crt') };
}

let dir: string;
let pki: Pki;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sip-tls-'));
  pki = makePki(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const layers = new LayerSet();
afterEach(() => layers.closeAll());

async function tlsServer(): Promise<{ bob: ReturnType<LayerSet['make']>; port: number }> {
  const bob = layers.make();
  const point = await bob.layer.listen({ transport: 'tls', address: '127.0.0.1', tls: { key: pki.key, cert: pki.cert } });
  return { bob, port: point.port };
}

describe('TLS transport (RFC 3261 §26.3.1, RFC 5922)', () => {
  it('connects when the certificate chains to the configured CA and names the server', async () => {
    const { bob, port } = await tlsServer();
    const alice = layers.make({ tls: { ca: [pki.ca] } });
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5061, transport: 'TLS' }), destination('tls', '127.0.0.1', port, 'sip.example.test'));
    await waitFor('the request', () => bob.delegate.requests().length === 1);
    const { request: got, source } = bob.delegate.requests()[0]!;
    expect(source.transport).toBe('tls');
    expect(got.topVia?.transport).toBe('TLS');
    await bob.layer.sendResponse(responseTo(got), source);
    await waitFor('the response', () => alice.delegate.responses().length === 1);
    expect(alice.layer.connectionCount).toBe(1);
  });

  it('fails with tls_untrusted when the CA is not trusted, sending nothing', async () => {
    const { bob, port } = await tlsServer();
    const alice = layers.make();
    const sending = alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5061, transport: 'TLS' }), destination('tls', '127.0.0.1', port, 'sip.example.test'));
    await expect(sending).rejects.toMatchObject({ name: 'TransportError', code: 'tls_untrusted' });
    expect(alice.layer.connectionCount).toBe(0);
    expect(bob.delegate.received).toEqual([]);
  });

  it('fails with tls_hostname_mismatch when the certificate is for another domain', async () => {
    const { bob, port } = await tlsServer();
    const alice = layers.make({ tls: { ca: [pki.ca] } });
    const sending = alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5061, transport: 'TLS' }), destination('tls', '127.0.0.1', port, 'other.example.test'));
    await expect(sending).rejects.toMatchObject({ name: 'TransportError', code: 'tls_hostname_mismatch' });
    expect(bob.delegate.received).toEqual([]);
  });

  it('connects to an untrusted server whose certificate fingerprint the user accepted', async () => {
    const { bob, port } = await tlsServer();
    const fingerprint = new X509Certificate(pki.cert).fingerprint256;
    const alice = layers.make({ tls: { trustedFingerprints: [fingerprint.toLowerCase()] } });
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5061, transport: 'TLS' }), destination('tls', '127.0.0.1', port, 'sip.example.test'));
    await waitFor('the request', () => bob.delegate.requests().length === 1);
  });

  it('keeps separate connections for different server names at one address', async () => {
    const { bob, port } = await tlsServer();
    const fingerprint = new X509Certificate(pki.cert).fingerprint256;
    const alice = layers.make({ tls: { ca: [pki.ca], trustedFingerprints: [fingerprint] } });
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5061, transport: 'TLS' }), destination('tls', '127.0.0.1', port, 'sip.example.test'));
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5061, transport: 'TLS' }), destination('tls', '127.0.0.1', port, 'sip.example.test'));
    await alice.layer.send(request({ viaHost: '127.0.0.1', viaPort: 5061, transport: 'TLS' }), destination('tls', '127.0.0.1', port, 'other.example.test'));
    await waitFor('three requests', () => bob.delegate.requests().length === 3);
    expect(alice.layer.connectionCount).toBe(2);
  });
});
