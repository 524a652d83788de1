import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_KEY, rpcUrl, takeAccessToken, tokenFromFragment } from '../../renderer/src/lib/access-token.js';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

function addressBar(): { urls: (string | undefined)[]; replaceState(data: unknown, unused: string, url?: string): void } {
  const urls: (string | undefined)[] = [];
  return { urls, replaceState: (_data, _unused, url) => void urls.push(url) };
}

describe('access token', () => {
  it('is taken from the fragment, saved for reloads, and the fragment is removed', () => {
    const storage = new MemoryStorage();
    const bar = addressBar();
    const token = takeAccessToken({ hash: '#token=a1b2-c3', pathname: '/', search: '?lang=en' }, storage, bar);
    expect(token).toBe('a1b2-c3');
    expect(storage.items.get(ACCESS_TOKEN_KEY)).toBe('a1b2-c3');
    expect(bar.urls).toEqual(['/?lang=en']);
  });

  it('comes back from session storage after a reload, with the address left alone', () => {
    const storage = new MemoryStorage();
    storage.setItem(ACCESS_TOKEN_KEY, 'saved-token');
    const bar = addressBar();
    expect(takeAccessToken({ hash: '', pathname: '/', search: '' }, storage, bar)).toBe('saved-token');
    expect(bar.urls).toEqual([]);
  });

  it('from a new link wins over the saved one', () => {
    const storage = new MemoryStorage();
    storage.setItem(ACCESS_TOKEN_KEY, 'old');
    expect(takeAccessToken({ hash: '#token=new', pathname: '/', search: '' }, storage, addressBar())).toBe('new');
    expect(storage.getItem(ACCESS_TOKEN_KEY)).toBe('new');
  });

  it('still works for this load when storage refuses to save it', () => {
    const refusing = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const bar = addressBar();
    expect(takeAccessToken({ hash: '#token=t', pathname: '/app', search: '' }, refusing, bar)).toBe('t');
    expect(bar.urls).toEqual(['/app']);
  });

  it('is absent when neither the fragment nor storage has one', () => {
    expect(takeAccessToken({ hash: '#other=1', pathname: '/', search: '' }, new MemoryStorage(), addressBar())).toBeUndefined();
    expect(takeAccessToken({ hash: '', pathname: '/', search: '' }, undefined, addressBar())).toBeUndefined();
  });

  it.each([
    ['#token=abc', 'abc'],
    ['#x=1&token=abc&y=2', 'abc'],
    ['#token=a%2Bb%3D', 'a+b='],
    ['#token=a+b', 'a+b'],
    ['#token=', undefined],
    ['#token=has%20space', undefined],
    ['#token=%E0%A4%A', undefined],
    ['#token=%3Cscript%3E', '<script>'],
    [`#token=${'x'.repeat(513)}`, undefined],
  ])('fragment %s gives %s', (hash, expected) => {
    expect(tokenFromFragment(hash)).toBe(expected);
  });

  it('is percent-encoded into the RPC address on the page origin', () => {
    expect(rpcUrl({ host: '127.0.0.1:8123', protocol: 'http:' }, 'a+b/c=')).toBe('ws://127.0.0.1:8123/rpc?token=a%2Bb%2Fc%3D');
    expect(rpcUrl({ host: 'localhost:9', protocol: 'https:' }, 't')).toBe('wss://localhost:9/rpc?token=t');
  });
});
