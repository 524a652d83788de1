/** The renderer page's own CSP (a meta tag, on top of any the host sends): contact photos as data: images, nothing remote. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
const directive = (name: string) => policy.split(';').map((d) => d.trim().split(/\s+/)).find(([n]) => n === name)?.slice(1);

describe('renderer CSP', () => {
  it("allows images from the app and data: URLs only (img-src 'self' data:)", () => {
    expect(directive('img-src')).toEqual(["'self'", 'data:']);
    expect(directive('default-src')).toEqual(["'self'"]);
    expect(directive('object-src')).toEqual(["'none'"]);
  });
});
