import {
  BadGatewayException,
  ForbiddenException,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { DomainError } from '@platform/contracts';
import { decodeJwt } from 'jose';
import { assertAssignmentAllowed } from '../domain/user-rules.js';
import type { JurisdictionTree } from '../domain/jurisdiction.js';
import { TokenService, UnauthenticatedError, type AuthenticatedActor } from '../tokens.js';

/** The browser side of the government identity provider: OpenID Connect authorization code with PKCE. */
export interface IdentityProviderSignInOptions {
  /** What the login page calls it. */
  name: string;
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  clientAuth: 'basic' | 'post';
  scope: string;
  /** Which token of the provider's answer the API takes. */
  tokenField: 'access_token' | 'id_token';
  /** How long to wait for the provider's token endpoint. */
  timeoutMs: number;
}

/** What the login page needs to send a person to the provider (nothing secret). */
export interface IdentityProviderDescription {
  name: string;
  authorizeUrl: string;
  clientId: string;
  scope: string;
}

export interface IdentityProviderSession {
  accessToken: string;
  tokenType: 'Bearer';
  expiresAt: string;
  mustChangePassword: false;
}

/**
 * An identity-provider token names its user's role, department and jurisdiction itself. They must make
 * sense here: a known division, a level the role may sit at, the role's own department. Otherwise the
 * provider (or whoever configured it) would grant what no administrator of this platform could.
 */
export function identityProviderActorProblem(
  actor: AuthenticatedActor,
  tree: JurisdictionTree,
): string | null {
  const node = tree.get(actor.jurisdiction);
  if (!node) return `辖区“${actor.jurisdiction}”不在本平台的行政区划中`;
  try {
    assertAssignmentAllowed(actor.role, actor.department, node.level);
  } catch (e) {
    if (e instanceof DomainError) return e.message.replace(/^\w+：/, '');
    throw e;
  }
  return null;
}

/** Exchanges the code the provider sent the browser back with for the provider's token, server to server. */
export class IdentityProviderSignIn {
  constructor(
    private readonly o: IdentityProviderSignInOptions | null,
    private readonly tokens: TokenService,
    private readonly tree: () => JurisdictionTree,
  ) {}

  describe(): IdentityProviderDescription | null {
    if (!this.o) return null;
    const { name, authorizeUrl, clientId, scope } = this.o;
    return { name, authorizeUrl, clientId, scope };
  }

  async exchange(code: string, codeVerifier: string, redirectUri: string): Promise<IdentityProviderSession> {
    const o = this.o;
    if (!o) {
      throw new NotFoundException({ code: 'IDP_NOT_CONFIGURED', message: '本平台未配置统一身份认证登录' });
    }
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: codeVerifier,
      client_id: o.clientId,
    });
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
    };
    if (o.clientSecret && o.clientAuth === 'post') form.set('client_secret', o.clientSecret);
    if (o.clientSecret && o.clientAuth === 'basic') {
      // RFC 6749 §2.3.1: both parts form-encoded before Base64.
      const part = (v: string) => encodeURIComponent(v).replace(/%20/g, '+');
      headers.authorization = `Basic ${Buffer.from(`${part(o.clientId)}:${part(o.clientSecret)}`).toString('base64')}`;
    }
    let res: Response;
    try {
      res = await fetch(o.tokenUrl, {
        method: 'POST',
        headers,
        body: form,
        redirect: 'error',
        signal: AbortSignal.timeout(o.timeoutMs),
      });
    } catch {
      throw new BadGatewayException({
        code: 'IDP_UNAVAILABLE',
        message: `${o.name}暂时无法访问，请稍后重试或使用账号密码登录`,
      });
    }
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (!res.ok) {
      // invalid_grant: the code is wrong, spent or expired, or the verifier does not match it.
      if (res.status === 400 && body?.error === 'invalid_grant') {
        throw new UnauthorizedException({
          code: 'IDP_CODE_REFUSED',
          message: `${o.name}未认可本次登录（授权码无效、已使用或已过期），请重新登录`,
        });
      }
      throw new BadGatewayException({
        code: 'IDP_REFUSED',
        message: `${o.name}拒绝了本平台的换取令牌请求（${typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`}），请联系管理员检查统一身份认证配置`,
      });
    }
    const token = body?.[o.tokenField];
    if (typeof token !== 'string' || token.length === 0) {
      throw new BadGatewayException({
        code: 'IDP_BAD_RESPONSE',
        message: `${o.name}的答复中没有 ${o.tokenField}，请联系管理员检查统一身份认证配置`,
      });
    }
    let verified;
    try {
      verified = await this.tokens.verifyToken(token);
    } catch (e) {
      if (!(e instanceof UnauthenticatedError)) throw e;
      throw new UnauthorizedException({
        code: 'IDP_TOKEN_INVALID',
        message: `${o.name}返回的令牌不能用于本平台：${e.reason}`,
      });
    }
    // A token signed with this platform's own secret never comes from the provider.
    if (verified.local) {
      throw new UnauthorizedException({
        code: 'IDP_TOKEN_INVALID',
        message: `${o.name}返回的令牌不能用于本平台：签名算法不符`,
      });
    }
    const problem = identityProviderActorProblem(verified.actor, this.tree());
    if (problem) {
      throw new ForbiddenException({
        code: 'IDP_IDENTITY_REFUSED',
        message: `${o.name}返回的身份不能在本平台使用：${problem}，请联系管理员`,
      });
    }
    const exp = decodeJwt(token).exp!;
    return {
      accessToken: token,
      tokenType: 'Bearer',
      expiresAt: new Date(exp * 1000).toISOString(),
      mustChangePassword: false,
    };
  }
}
