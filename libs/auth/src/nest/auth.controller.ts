import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  ConflictException,
  Ip,
  Post,
  Res,
  ServiceUnavailableException,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiBadGatewayResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ChangeOwnPasswordCommand } from '../application/commands/user-commands.js';
import { ROLE_NAMES_ZH } from '../domain/roles.js';
import { LoginLimiter } from '../login-limiter.js';
import { SharedLoginFailures } from './shared-login-failures.js';
import { PasswordHashingBusyError } from '../passwords.js';
import { TokenService, type AuthenticatedActor, type VerifiedToken } from '../tokens.js';
import { AllowedBeforePasswordChange, CurrentActor, CurrentToken, Public } from './auth.decorators.js';
import { UserDirectory, type LoginResult } from './user-directory.js';
import { RefreshTokens } from './refresh-tokens.js';
import {
  IdentityProviderSignIn,
  type IdentityProviderDescription,
  type IdentityProviderSession,
} from './identity-provider-sign-in.js';

/** A token that only lets its user change their password: short-lived. */
const PASSWORD_CHANGE_TOKEN_TTL_SECONDS = 15 * 60;

export class LoginDto {
  @ApiProperty({ example: 'shuanghe.window' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  username: string;

  @ApiProperty({ example: 'Demo@2026' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class RefreshDto {
  @ApiProperty({ description: '登录或上次刷新时得到的 refreshToken（一次有效）' })
  @IsString({ message: '刷新令牌（refreshToken）应为字符串' })
  @MinLength(20, { message: '刷新令牌（refreshToken）格式不正确' })
  @MaxLength(200, { message: '刷新令牌（refreshToken）格式不正确' })
  refreshToken: string;
}

export class TokenResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty() tokenType: string;
  @ApiProperty({ description: '访问令牌到期时间（默认 15 分钟）' })
  expiresAt: string;
  @ApiProperty({
    required: false,
    description:
      '刷新令牌：访问令牌到期前后用 POST /auth/refresh 换取新的一对令牌，只能使用一次；须修改密码时不签发',
  })
  refreshToken?: string;
  @ApiProperty({ required: false, description: '本次登录的最长有效期（默认 8 小时），到期须重新登录' })
  refreshExpiresAt?: string;
  @ApiProperty({
    description:
      'true：须先修改密码。此时的令牌（15分钟有效）只能用于 POST /auth/password 和 GET /auth/me，其他接口返回 403 PASSWORD_CHANGE_REQUIRED',
  })
  mustChangePassword: boolean;
}

export class ChangePasswordDto {
  @ApiProperty({ description: '原密码（首次登录时为管理员设定的初始或临时密码）' })
  @IsString({ message: '原密码应为字符串' })
  @MinLength(1, { message: '请填写原密码' })
  @MaxLength(200, { message: '原密码不能超过200个字符' })
  oldPassword: string;

  @ApiProperty({
    description: '新密码：至少10个字符，含大写字母、小写字母、数字、符号中的三类，不含用户名，不是常见密码',
  })
  @IsString({ message: '新密码应为字符串' })
  @MaxLength(200, { message: '新密码不能超过200个字符' })
  newPassword: string;
}

export class IdentityProviderCodeDto {
  @ApiProperty({ description: '统一身份认证平台回调时带回的授权码（code）' })
  @IsString({ message: '授权码（code）应为字符串' })
  @MinLength(1, { message: '授权码（code）不能为空' })
  @MaxLength(2000, { message: '授权码（code）不能超过2000个字符' })
  code: string;

  @ApiProperty({ description: '发起登录时生成的 PKCE code_verifier（43～128个字符）' })
  @IsString({ message: 'codeVerifier 应为字符串' })
  @Matches(/^[A-Za-z0-9\-._~]{43,128}$/, {
    message: 'codeVerifier 应为43～128个字母、数字或 -._~ 字符（RFC 7636）',
  })
  codeVerifier: string;

  @ApiProperty({ description: '发起登录时使用的回调地址（redirect_uri），须与之完全一致' })
  @IsString({ message: '回调地址（redirectUri）应为字符串' })
  @Matches(/^https?:\/\/\S+$/, { message: '回调地址（redirectUri）应为 http(s) 地址' })
  @MaxLength(2000, { message: '回调地址（redirectUri）不能超过2000个字符' })
  redirectUri: string;
}

class IdentityProviderDescriptionView {
  @ApiProperty({ example: '政务服务统一身份认证' }) name: string;
  @ApiProperty({ description: '授权端点（浏览器跳转到此处登录）' }) authorizeUrl: string;
  @ApiProperty() clientId: string;
  @ApiProperty({ example: 'openid' }) scope: string;
}

export class SignInOptionsView {
  @ApiProperty({
    type: IdentityProviderDescriptionView,
    nullable: true,
    description: '统一身份认证登录（OpenID Connect 授权码＋PKCE）；未配置时为 null',
  })
  identityProvider: IdentityProviderDescriptionView | null;
}

export class IdentityProviderTokenResponse {
  @ApiProperty({ description: '统一身份认证平台签发的令牌，作为 Bearer 令牌调用本平台接口' })
  accessToken: string;
  @ApiProperty() tokenType: string;
  @ApiProperty({ description: '令牌到期时间（由统一身份认证平台决定）；到期后须重新登录' }) expiresAt: string;
  @ApiProperty() mustChangePassword: boolean;
}

/** Only the header is needed of the response: Retry-After on 429 and 503. */
interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(UserDirectory) private readonly directory: UserDirectory,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(LoginLimiter) private readonly limiter: LoginLimiter,
    @Inject(SharedLoginFailures) private readonly shared: SharedLoginFailures,
    @Inject(RefreshTokens) private readonly refreshTokens: RefreshTokens,
    @Inject(IdentityProviderSignIn) private readonly identityProvider: IdentityProviderSignIn,
  ) {}

  @Get('providers')
  @Public()
  @ApiOperation({ summary: '登录方式：除账号密码外，是否可通过统一身份认证平台登录（登录页据此显示按钮）' })
  @ApiOkResponse({ type: SignInOptionsView })
  providers(): { identityProvider: IdentityProviderDescription | null } {
    return { identityProvider: this.identityProvider.describe() };
  }

  /**
   * The second half of the provider's sign-in: the browser came back with a code; this service (not the
   * browser) redeems it at the provider's token endpoint with the browser's PKCE verifier, checks the token
   * as it checks every provider token, and hands it to the browser.
   */
  @Post('idp/token')
  @Public()
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @ApiOperation({
    summary:
      '统一身份认证登录的第二步：用回调带回的授权码和 PKCE code_verifier 换取令牌（由本平台向统一身份认证平台换取并校验）',
  })
  @ApiOkResponse({ type: IdentityProviderTokenResponse })
  @ApiUnauthorizedResponse({
    description:
      'IDP_CODE_REFUSED（授权码无效、已使用、已过期或与 code_verifier 不符）；IDP_TOKEN_INVALID（令牌签名、签发方、受众或声明不符）',
  })
  @ApiForbiddenResponse({ description: 'IDP_IDENTITY_REFUSED：令牌中的角色、部门或辖区在本平台不成立' })
  @ApiBadGatewayResponse({
    description: 'IDP_UNAVAILABLE、IDP_REFUSED、IDP_BAD_RESPONSE：统一身份认证平台无法访问或配置有误',
  })
  idpToken(@Body() body: IdentityProviderCodeDto): Promise<IdentityProviderSession> {
    return this.identityProvider.exchange(body.code, body.codeVerifier, body.redirectUri);
  }

  /**
   * Failed logins are limited per address across all accounts, per (address, account), and per account
   * across all addresses (slowed, never locked) — see login-limiter.ts; password hashing is bounded
   * (passwords.ts), a flood past the queue gets 503 LOGIN_BUSY at once.
   */
  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary:
      '登录（用户名、密码），返回签名的 JWT（Bearer）。须修改密码的用户（新建或重置后）得到 mustChangePassword: true 和一个只能修改密码的令牌',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS；ACCOUNT_DISABLED（密码正确但账号已停用）' })
  @ApiTooManyRequestsResponse({
    description: 'LOGIN_RATE_LIMITED：此地址（或此地址对此账号）登录失败次数过多，Retry-After 秒后再试',
  })
  @ApiServiceUnavailableResponse({ description: 'LOGIN_BUSY：登录请求过多，Retry-After 秒后再试' })
  async login(
    @Body() body: LoginDto,
    @Ip() ip: string | undefined,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<TokenResponse> {
    const address = ip ?? '';
    // Counted before the password is checked, on every instance's budget; with the database away this
    // process's own counts still hold the limits.
    const shared = await this.shared.reserve(address, body.username).catch(() => undefined);
    const giveBack = async () => {
      if (shared) await this.shared.release(address, body.username).catch(() => undefined);
    };
    const admission = this.limiter.admit(address, body.username, shared);
    if (!admission.allowed) {
      await giveBack();
      const { retryAfterSeconds } = admission;
      res.setHeader('Retry-After', String(retryAfterSeconds));
      const wait =
        retryAfterSeconds >= 60 ? `${Math.ceil(retryAfterSeconds / 60)}分钟` : `${retryAfterSeconds}秒`;
      throw new HttpException(
        {
          code: 'LOGIN_RATE_LIMITED',
          message:
            admission.scope === 'address'
              ? `此地址登录失败次数过多，请${wait}后再试`
              : `此账号在此地址登录失败次数过多，请${wait}后再试`,
          retryAfterSeconds,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
    const { attempt } = admission;
    let failed = false;
    try {
      if (attempt.slowDownMs > 0) await sleep(attempt.slowDownMs);
      const result = await this.directory.authenticate(body.username, body.password).catch((e: unknown) => {
        if (!(e instanceof PasswordHashingBusyError)) throw e;
        res.setHeader('Retry-After', '1');
        throw new ServiceUnavailableException({ code: 'LOGIN_BUSY', message: '登录请求过多，请稍后再试' });
      });
      if (!result) {
        failed = true;
        throw new UnauthorizedException({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
      }
      if ('disabled' in result) {
        throw new UnauthorizedException({ code: 'ACCOUNT_DISABLED', message: '账号已停用，请联系管理员' });
      }
      return await this.issue(result);
    } finally {
      // Only a wrong password (or unknown user) counts; busy, errors and successes release the place.
      // The shared count already holds it: a wrong password leaves it there.
      if (failed) attempt.failed();
      else {
        attempt.succeeded();
        await giveBack();
      }
    }
  }

  private async issue(result: LoginResult): Promise<TokenResponse> {
    const token = await this.tokens.issue(result.user, {
      tokenVersion: result.tokenVersion,
      ...(result.mustChangePassword
        ? { passwordChangeOnly: true, ttlSeconds: PASSWORD_CHANGE_TOKEN_TTL_SECONDS }
        : {}),
    });
    // A password-change-only token gets no refresh: the session starts once the password is changed.
    const refresh = result.mustChangePassword
      ? {}
      : await this.refreshTokens.issue(result.user.id, result.tokenVersion);
    return { ...token, ...refresh, mustChangePassword: result.mustChangePassword };
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @UseGuards(ThrottlerGuard)
  @ApiOperation({
    summary:
      '用刷新令牌换取新的访问令牌和刷新令牌（旧的刷新令牌随即失效）。账号停用、角色或辖区变更、密码修改后，或同一刷新令牌被再次使用时，本次登录结束，须重新登录',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({
    description:
      'REFRESH_INVALID（未知、已过期或已注销）；REFRESH_REUSED（已用过的刷新令牌再次出现：本次登录的全部令牌作废）；SESSION_REVOKED（账号已停用或权限变更）',
  })
  @ApiConflictResponse({ description: 'REFRESH_IN_USE：该刷新令牌刚刚已被本会话换过，请使用新令牌' })
  async refresh(@Body() body: RefreshDto): Promise<TokenResponse> {
    // Refusals are returned, not thrown, so that what the refusal records (the family ended) commits.
    const answer = await this.refreshTokens.rotate(body.refreshToken, async (outcome, tx) => {
      switch (outcome.kind) {
        case 'invalid':
          return new UnauthorizedException({
            code: 'REFRESH_INVALID',
            message:
              outcome.reason === 'expired' ? '登录已超过最长有效期，请重新登录' : '登录已失效，请重新登录',
          });
        case 'reused':
          return new UnauthorizedException({
            code: 'REFRESH_REUSED',
            message: '此登录凭证已被使用过，为安全起见本次登录已结束，请重新登录',
          });
        case 'raced':
          return new ConflictException({
            code: 'REFRESH_IN_USE',
            message: '登录凭证刚刚已更新，请使用新的凭证',
          });
      }
      const session = await this.directory.sessionUser(outcome.userId, outcome.tokenVersion);
      if (!session) {
        await this.refreshTokens.endFamily(outcome.familyId, tx);
        return new UnauthorizedException({
          code: 'SESSION_REVOKED',
          message: '账号已停用或密码、角色、辖区已变更，请重新登录',
        });
      }
      const access = await this.tokens.issue(session.user, { tokenVersion: session.tokenVersion });
      const refresh = await this.refreshTokens.issue(
        session.user.id,
        session.tokenVersion,
        { id: outcome.familyId, expiresAt: outcome.expiresAt },
        tx,
      );
      return { ...access, ...refresh, mustChangePassword: false };
    });
    if (answer instanceof HttpException) throw answer;
    return answer;
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: '退出登录：本次登录的刷新令牌全部作废（访问令牌在到期前仍可用，最长 15 分钟）' })
  async logout(@Body() body: RefreshDto): Promise<void> {
    await this.refreshTokens.revoke(body.refreshToken);
  }

  @Post('password')
  @HttpCode(200)
  @ApiBearerAuth()
  @AllowedBeforePasswordChange()
  @UseGuards(ThrottlerGuard)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiOperation({
    summary:
      '修改本人密码（原密码 + 新密码）。成功后此前签发的全部令牌失效，返回新的令牌；首次登录或密码被重置后须先调用此接口',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnprocessableEntityResponse({
    description: 'WRONG_PASSWORD、PASSWORD_UNCHANGED、WEAK_PASSWORD（指明违反的规则）',
  })
  @ApiConflictResponse({ description: 'NO_LOCAL_ACCOUNT：通过政务身份认证登录的用户' })
  async changePassword(
    @CurrentActor() actor: AuthenticatedActor,
    @Body() body: ChangePasswordDto,
  ): Promise<TokenResponse> {
    const { user, tokenVersion } = await this.commands.execute(
      new ChangeOwnPasswordCommand(actor, body.oldPassword, body.newPassword),
    );
    return {
      ...(await this.tokens.issue(user, { tokenVersion })),
      ...(await this.refreshTokens.issue(user.id, tokenVersion)),
      mustChangePassword: false,
    };
  }

  @Get('me')
  @ApiBearerAuth()
  @AllowedBeforePasswordChange()
  @ApiOperation({ summary: '当前用户：角色、部门、辖区（含名称），以及是否须先修改密码' })
  me(@CurrentActor() actor: AuthenticatedActor, @CurrentToken() token: Omit<VerifiedToken, 'actor'>) {
    return {
      ...actor,
      roleName: ROLE_NAMES_ZH[actor.role],
      jurisdictionName: this.directory.jurisdictions.fullName(actor.jurisdiction),
      mustChangePassword: token.passwordChangeOnly,
    };
  }
}
