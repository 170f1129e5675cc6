import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  importSPKI,
  jwtVerify,
  SignJWT,
  type JWTPayload,
} from 'jose';
import { isRole, type Role } from './domain/roles.js';

/** The acting user, from a verified token. Recorded on every event they cause. */
export interface AuthenticatedActor {
  id: string;
  name: string;
  role: Role;
  department: string;
  jurisdiction: string;
  organisation?: string;
}

export class UnauthenticatedError extends Error {
  constructor(
    public readonly reason: string,
    /** TOKEN_EXPIRED tells a client to exchange its refresh token; anything else means log in again. */
    public readonly code: 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' = 'UNAUTHENTICATED',
  ) {
    super(reason);
    this.name = 'UnauthenticatedError';
  }
}

export interface TokenServiceOptions {
  /** HS256 secret of tokens this platform issues itself (POST /auth/login). */
  secret: Uint8Array;
  issuer: string;
  ttlSeconds: number;
  now: () => Date;
  /**
   * The government identity provider: tokens signed with `algorithm` (configured, never read from the
   * token) and checked against a public key or JWKS, with a required issuer and audience: a token the same
   * provider issued to another application is refused.
   */
  idp?: IdentityProviderOptions;
}

export const IDP_ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'] as const;
export type IdpAlgorithm = (typeof IDP_ALGORITHMS)[number];

export interface IdentityProviderOptions {
  jwksUrl?: string;
  publicKeyPem?: string;
  algorithm: IdpAlgorithm;
  issuer: string;
  audience: string;
}

type KeyResolver = Parameters<typeof jwtVerify>[1];

export interface IssueOptions {
  /** The user's `token_version` now: a disable, role change or password reset or change ends the token. */
  tokenVersion?: number;
  /** A token that only lets its user change their password (`POST /auth/password`) and see `GET /auth/me`. */
  passwordChangeOnly?: boolean;
  /** Shorter than the configured lifetime (never longer). */
  ttlSeconds?: number;
}

export interface VerifiedToken {
  actor: AuthenticatedActor;
  /** Issued by this platform (HS256, `POST /auth/login`), not by the government identity provider. */
  local: boolean;
  /** The `ver` claim of a local token (0 when absent: tokens from before revocation). */
  tokenVersion: number;
  /** The `pwc` claim: the user must change their password before anything else. */
  passwordChangeOnly: boolean;
}

/** How many verified tokens to remember (a token is verified once, then only its times are checked). */
const VERIFIED_CACHE_SIZE = 10_000;

export class TokenService {
  private idpKey: Promise<KeyResolver> | null = null;
  // Signature checks cost ~0.3 ms each and a session sends the same token many times.
  private readonly verified = new Map<string, { token: VerifiedToken; nbf: number; exp: number }>();

  constructor(private readonly o: TokenServiceOptions) {}

  async issue(
    actor: AuthenticatedActor,
    options: IssueOptions = {},
  ): Promise<{ accessToken: string; expiresAt: string; tokenType: 'Bearer' }> {
    const now = Math.floor(this.o.now().getTime() / 1000);
    const exp = now + Math.min(options.ttlSeconds ?? this.o.ttlSeconds, this.o.ttlSeconds);
    const accessToken = await new SignJWT({
      name: actor.name,
      role: actor.role,
      department: actor.department,
      jurisdiction: actor.jurisdiction,
      ...(actor.organisation ? { organisation: actor.organisation } : {}),
      ver: options.tokenVersion ?? 0,
      ...(options.passwordChangeOnly ? { pwc: true } : {}),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(actor.id)
      .setIssuer(this.o.issuer)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(exp)
      .sign(this.o.secret);
    return { accessToken, expiresAt: new Date(exp * 1000).toISOString(), tokenType: 'Bearer' };
  }

  /** Verifies signature, algorithm, issuer, expiry and not-before; never accepts `alg: none`. */
  async verify(token: string): Promise<AuthenticatedActor> {
    return (await this.verifyToken(token)).actor;
  }

  /** As `verify`, with what the token says beyond the actor: local or IdP, version, password-change-only. */
  async verifyToken(token: string): Promise<VerifiedToken> {
    const known = this.verified.get(token);
    if (known) {
      const now = this.o.now().getTime() / 1000;
      if (now < known.exp && now >= known.nbf) return { ...known.token, actor: { ...known.token.actor } };
      this.verified.delete(token); // expired or not yet valid: the full check below says which
    }
    const { token: verified, payload } = await this.verifyFully(token);
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { token: verified, nbf: payload.nbf ?? payload.iat ?? 0, exp: payload.exp! });
    return { ...verified, actor: { ...verified.actor } };
  }

  private async verifyFully(token: string): Promise<{ token: VerifiedToken; payload: JWTPayload }> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new UnauthenticatedError('令牌格式无效');
    }
    let payload: JWTPayload;
    try {
      if (alg === 'HS256') {
        ({ payload } = await jwtVerify(token, this.o.secret, {
          algorithms: ['HS256'],
          issuer: this.o.issuer,
          currentDate: this.o.now(),
          requiredClaims: ['exp', 'sub'],
        }));
      } else if (this.o.idp && alg === this.o.idp.algorithm) {
        ({ payload } = await jwtVerify(token, await this.idpResolver(), {
          algorithms: [this.o.idp.algorithm],
          issuer: this.o.idp.issuer,
          audience: this.o.idp.audience,
          currentDate: this.o.now(),
          requiredClaims: ['exp', 'sub', 'iss', 'aud'],
        }));
      } else {
        throw new UnauthenticatedError(`不接受的签名算法：${alg ?? '无'}`);
      }
    } catch (e) {
      if (e instanceof UnauthenticatedError) throw e;
      const code = (e as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED')
        throw new UnauthenticatedError('登录已过期，请重新登录', 'TOKEN_EXPIRED');
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED')
        throw new UnauthenticatedError(`令牌声明无效：${(e as Error).message}`);
      throw new UnauthenticatedError('令牌签名无效');
    }
    const role = payload.role;
    if (!isRole(role)) throw new UnauthenticatedError('令牌中的角色无效');
    const department = payload.department;
    const jurisdiction = payload.jurisdiction;
    if (typeof department !== 'string' || typeof jurisdiction !== 'string') {
      throw new UnauthenticatedError('令牌缺少部门或辖区');
    }
    const actor: AuthenticatedActor = {
      id: payload.sub!,
      name: typeof payload.name === 'string' ? payload.name : payload.sub!,
      role,
      department,
      jurisdiction,
      ...(typeof payload.organisation === 'string' ? { organisation: payload.organisation } : {}),
    };
    const local = alg === 'HS256';
    return {
      token: {
        actor,
        local,
        tokenVersion: local && typeof payload.ver === 'number' ? payload.ver : 0,
        passwordChangeOnly: local && payload.pwc === true,
      },
      payload,
    };
  }

  private async idpResolver(): Promise<KeyResolver> {
    const idp = this.o.idp!;
    const resolving = (this.idpKey ??= (async (): Promise<KeyResolver> => {
      if (idp.jwksUrl) return createRemoteJWKSet(new URL(idp.jwksUrl)) as KeyResolver;
      // The configured algorithm, not the token's: a token cannot choose how its key is read.
      return (await importSPKI(idp.publicKeyPem!, idp.algorithm)) as KeyResolver;
    })());
    try {
      return await resolving;
    } catch (e) {
      // Not remembered: a key that failed to import once (a bad configuration fixed by a reload, a
      // transient error) is tried again by the next token instead of refusing every token until restart.
      if (this.idpKey === resolving) this.idpKey = null;
      throw e;
    }
  }
}
