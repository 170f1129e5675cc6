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
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ROLE_NAMES_ZH } from '../domain/roles.js';
import { TokenService, type AuthenticatedActor } from '../tokens.js';
import { CurrentActor, Public } from './auth.decorators.js';
import { UserDirectory } from './user-directory.js';

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
  ) {}

  @Post('login')
  @Public()
  @UseGuards(LoginThrottlerGuard)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with username and password; returns a signed JWT (Bearer)' })
  @ApiOkResponse({ type: TokenResponse })
  async login(@Body() body: LoginDto): Promise<TokenResponse> {
    const user = await this.directory.authenticate(body.username, body.password);
    if (!user) throw new UnauthorizedException({ code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' });
    return this.tokens.issue(user);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The authenticated actor, with the jurisdiction spelled out' })
  me(@CurrentActor() actor: AuthenticatedActor) {
    return {
      ...actor,
      roleName: ROLE_NAMES_ZH[actor.role],
      jurisdictionName: this.directory.jurisdictions.fullName(actor.jurisdiction),
    };
  }
}
