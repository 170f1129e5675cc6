import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Post,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ChangeOwnPasswordCommand } from '../application/commands/user-commands.js';
import { ROLE_NAMES_ZH } from '../domain/roles.js';
import { TokenService, type AuthenticatedActor, type VerifiedToken } from '../tokens.js';
import { AllowedBeforePasswordChange, CurrentActor, CurrentToken, Public } from './auth.decorators.js';
import { UserDirectory } from './user-directory.js';

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

export class TokenResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty() tokenType: string;
  @ApiProperty() expiresAt: string;
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

/** Password guessing is limited per account and address, so one office behind one IP can still log in. */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const body = req.body as { username?: unknown } | undefined;
    return `${String(req.ip)}:${typeof body?.username === 'string' ? body.username : ''}`;
  }
}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    @Inject(UserDirectory) private readonly directory: UserDirectory,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  @Post('login')
  @Public()
  @UseGuards(LoginThrottlerGuard)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @HttpCode(200)
  @ApiOperation({
    summary:
      '登录（用户名、密码），返回签名的 JWT（Bearer）。须修改密码的用户（新建或重置后）得到 mustChangePassword: true 和一个只能修改密码的令牌',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'INVALID_CREDENTIALS；ACCOUNT_DISABLED（密码正确但账号已停用）' })
  async login(@Body() body: LoginDto): Promise<TokenResponse> {
    const result = await this.directory.authenticate(body.username, body.password);
    if (!result)
      throw new UnauthorizedException({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
    if ('disabled' in result) {
      throw new UnauthorizedException({ code: 'ACCOUNT_DISABLED', message: '账号已停用，请联系管理员' });
    }
    const token = await this.tokens.issue(result.user, {
      tokenVersion: result.tokenVersion,
      ...(result.mustChangePassword
        ? { passwordChangeOnly: true, ttlSeconds: PASSWORD_CHANGE_TOKEN_TTL_SECONDS }
        : {}),
    });
    return { ...token, mustChangePassword: result.mustChangePassword };
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
    return { ...(await this.tokens.issue(user, { tokenVersion })), mustChangePassword: false };
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
