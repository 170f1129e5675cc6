// A small OpenID Connect provider standing in for the government's identity platform: a real HTTP server
// with a sign-in page, single-use codes bound to the client, the redirect address and a PKCE challenge,
// a token endpoint with client authentication, and a JWKS. Strict where a real provider is strict, so the
// platform's half of the flow is what the tests exercise.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

export interface ProviderIdentity {
  sub: string;
  name: string;
  role: string;
  department: string;
  jurisdiction: string;
}

export interface OidcProviderOptions {
  clientId: string;
  clientSecret: string;
  /** The `aud` of the tokens it issues to the platform. */
  audience: string;
  identities: ProviderIdentity[];
  tokenTtlSeconds?: number;
}

export interface OidcProvider {
  url: string;
  issuer: string;
  publicKeyPem: string;
  /** Token requests it answered, and how (the tests check a code is redeemed once). */
  tokenRequests: Array<{ status: number; error?: string }>;
  /** Signs a token as the provider would, with claims changed (an adversary's or a misconfiguration's). */
  sign(claims: JWTPayload, audience?: string): Promise<string>;
  /** Registers the platform's return address (known once the platform listens). */
  registerRedirectUri(uri: string): void;
  /** The platform's settings for this provider. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

interface Grant {
  identity: ProviderIdentity;
  challenge: string;
  redirectUri: string;
  expires: number;
  used: boolean;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startOidcProvider(o: OidcProviderOptions): Promise<OidcProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const tokenRequests: OidcProvider['tokenRequests'] = [];
  let issuer = '';
  let registeredRedirect = '';

  const sign = (claims: JWTPayload, audience = o.audience) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${o.tokenTtlSeconds ?? 600}s`)
      .sign(privateKey);

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const tokenError = (res: ServerResponse, status: number, error: string) => {
    tokenRequests.push({ status, error });
    json(res, status, { error });
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', issuer);
      if (req.method === 'GET' && url.pathname === '/jwks') return json(res, 200, { keys: [jwk] });
      if (req.method === 'GET' && url.pathname === '/authorize') {
        const p = url.searchParams;
        // A real provider shows no page to an unknown client or an unregistered return address.
        if (p.get('client_id') !== o.clientId || p.get('redirect_uri') !== registeredRedirect) {
          res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
          return res.end('unknown client or redirect_uri');
        }
        if (
          p.get('response_type') !== 'code' ||
          p.get('code_challenge_method') !== 'S256' ||
          !p.get('code_challenge')
        ) {
          res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
          return res.end('code flow with S256 PKCE required');
        }
        const hidden = ['state', 'code_challenge']
          .map((k) => `<input type="hidden" name="${k}" value="${escape(p.get(k) ?? '')}">`)
          .join('');
        const options = o.identities
          .map((i) => `<option value="${escape(i.sub)}">${escape(i.name)}</option>`)
          .join('');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(
          `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>统一身份认证</title></head>` +
            `<body><main><h1>政务服务统一身份认证（测试）</h1><form method="post" action="/authorize">${hidden}` +
            `<label>身份 <select name="sub">${options}</select></label>` +
            `<button name="decision" value="allow">同意并登录</button>` +
            `<button name="decision" value="deny">取消</button></form></main></body></html>`,
        );
      }
      if (req.method === 'POST' && url.pathname === '/authorize') {
        const form = await readForm(req);
        const back = new URL(registeredRedirect);
        back.searchParams.set('state', form.get('state') ?? '');
        const identity = o.identities.find((i) => i.sub === form.get('sub'));
        if (form.get('decision') !== 'allow' || !identity) {
          back.searchParams.set('error', 'access_denied');
        } else {
          const code = randomBytes(24).toString('base64url');
          grants.set(code, {
            identity,
            challenge: form.get('code_challenge') ?? '',
            redirectUri: registeredRedirect,
            expires: Date.now() + 60_000,
            used: false,
          });
          back.searchParams.set('code', code);
        }
        res.writeHead(302, { location: back.toString() });
        return res.end();
      }
      if (req.method === 'POST' && url.pathname === '/token') {
        const form = await readForm(req);
        const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
        const [id, secret] = basic
          ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').map(decodeURIComponent)
          : [form.get('client_id'), form.get('client_secret')];
        if (id !== o.clientId || secret !== o.clientSecret) return tokenError(res, 401, 'invalid_client');
        if (form.get('grant_type') !== 'authorization_code')
          return tokenError(res, 400, 'unsupported_grant_type');
        const grant = grants.get(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (
          !grant ||
          grant.used ||
          grant.expires < Date.now() ||
          grant.redirectUri !== form.get('redirect_uri') ||
          createHash('sha256').update(verifier).digest('base64url') !== grant.challenge
        ) {
          if (grant) grant.used = true; // RFC 6749 §4.1.2: a code tried twice is spent
          return tokenError(res, 400, 'invalid_grant');
        }
        grant.used = true;
        const { sub, ...claims } = grant.identity;
        const accessToken = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
          .setSubject(sub)
          .setIssuer(issuer)
          .setAudience(o.audience)
          .setIssuedAt()
          .setExpirationTime(`${o.tokenTtlSeconds ?? 600}s`)
          .sign(privateKey);
        tokenRequests.push({ status: 200 });
        return json(res, 200, {
          access_token: accessToken,
          token_type: 'Bearer',
          expires_in: o.tokenTtlSeconds ?? 600,
        });
      }
      res.writeHead(404);
      res.end();
    })().catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const publicKeyPem = await exportSPKI(publicKey);
  return {
    url: issuer,
    issuer,
    publicKeyPem,
    tokenRequests,
    sign,
    registerRedirectUri: (uri) => {
      registeredRedirect = uri;
    },
    env: () => ({
      AUTH_IDP_JWKS_URL: `${issuer}/jwks`,
      AUTH_IDP_ISSUER: issuer,
      AUTH_IDP_AUDIENCE: o.audience,
      AUTH_IDP_AUTHORIZE_URL: `${issuer}/authorize`,
      AUTH_IDP_TOKEN_URL: `${issuer}/token`,
      AUTH_IDP_CLIENT_ID: o.clientId,
      AUTH_IDP_CLIENT_SECRET: o.clientSecret,
      AUTH_IDP_NAME: '政务服务统一身份认证',
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
