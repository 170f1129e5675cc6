// Sign-in through the government identity provider: OpenID Connect authorization code with PKCE. The
// browser goes to the provider, comes back to /login/idp with a code, and the platform redeems the code
// (POST /auth/idp/token) with the verifier only this tab holds.
import { sha256 } from './sha256';

export interface IdentityProvider {
  name: string;
  authorizeUrl: string;
  clientId: string;
  scope: string;
}

/** What this tab remembers across the trip to the provider. */
interface Pending {
  state: string;
  verifier: string;
  from?: string;
}

const PENDING_KEY = 'sap.idp';

function randomText(bytes: number): string {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The address the provider sends the browser back to; registered with the provider as this platform's. */
export function callbackUrl(): string {
  return `${window.location.origin}/login/idp`;
}

/** Sends the browser to the provider's sign-in page. */
export async function startIdentityProviderSignIn(provider: IdentityProvider, from?: string): Promise<void> {
  const pending: Pending = { state: randomText(16), verifier: randomText(32), ...(from ? { from } : {}) };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const challenge = base64Url(await sha256(new TextEncoder().encode(pending.verifier)));
  const url = new URL(provider.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', provider.clientId);
  url.searchParams.set('redirect_uri', callbackUrl());
  url.searchParams.set('scope', provider.scope);
  url.searchParams.set('state', pending.state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  window.location.assign(url.toString());
}

export type Callback =
  { ok: true; code: string; verifier: string; from?: string } | { ok: false; message: string };

/**
 * Reads the provider's answer on /login/idp. The state must be the one this tab sent: a code that arrives
 * without it (another tab's, or a link someone else made) is refused, so nobody can sign a person in as
 * someone else. The pending sign-in is used once.
 */
export function readIdentityProviderCallback(search: string): Callback {
  const params = new URLSearchParams(search);
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const error = params.get('error');
  if (error) {
    return {
      ok: false,
      message:
        error === 'access_denied'
          ? '已取消统一身份认证登录'
          : `统一身份认证未完成登录（${params.get('error_description') ?? error}）`,
    };
  }
  let pending: Pending | null;
  try {
    pending = raw ? (JSON.parse(raw) as Pending) : null;
  } catch {
    pending = null;
  }
  const code = params.get('code');
  if (!pending || !code || params.get('state') !== pending.state) {
    return {
      ok: false,
      message: '登录请求已失效或不是从本页面发起的，请重新点击“统一身份认证登录”',
    };
  }
  return { ok: true, code, verifier: pending.verifier, ...(pending.from ? { from: pending.from } : {}) };
}
