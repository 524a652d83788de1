/**
 * The web host hands the page its access token in the URL fragment (`…/#token=XYZ`): the
 * fragment never reaches the server's logs or the Referer header. The token is kept in
 * sessionStorage so a reload still works, then the fragment is dropped from the address bar.
 */
export const ACCESS_TOKEN_KEY = 'softphone.accessToken';

export interface PageAddress {
  readonly hash: string;
  readonly pathname: string;
  readonly search: string;
}
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}
export interface AddressBar {
  replaceState(data: unknown, unused: string, url?: string): void;
}

/** Printable ASCII without spaces: a token is an opaque string, never markup or a URL. */
const TOKEN = /^[\x21-\x7e]{1,512}$/;

/** The `token` parameter of a fragment like `#token=XYZ&x=y`, percent-decoded (`+` stays `+`). */
export function tokenFromFragment(hash: string): string | undefined {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of fragment.split('&')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq) !== 'token') continue;
    let value: string;
    try {
      value = decodeURIComponent(part.slice(eq + 1));
    } catch {
      return undefined;
    }
    return TOKEN.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * Takes the token from the fragment (saving it and clearing the fragment), or else from
 * storage, where an earlier load of this tab left it.
 */
export function takeAccessToken(page: PageAddress, storage: TokenStorage | undefined, bar: AddressBar): string | undefined {
  const fromFragment = tokenFromFragment(page.hash);
  if (fromFragment !== undefined) {
    try {
      storage?.setItem(ACCESS_TOKEN_KEY, fromFragment);
    } catch {
      // Storage full or disabled: this load still works, a reload will ask for the link again.
    }
    bar.replaceState(null, '', page.pathname + page.search);
    return fromFragment;
  }
  const stored = readItem(storage, ACCESS_TOKEN_KEY);
  return stored !== undefined && TOKEN.test(stored) ? stored : undefined;
}

function readItem(storage: TokenStorage | undefined, key: string): string | undefined {
  try {
    return storage?.getItem(key) ?? undefined;
  } catch {
    return undefined; // storage disabled
  }
}

/** The web host's JSON-RPC endpoint on the page's own origin. */
export function rpcUrl(page: { readonly host: string; readonly protocol: string }, token: string): string {
  const scheme = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${page.host}/rpc?token=${encodeURIComponent(token)}`;
}
