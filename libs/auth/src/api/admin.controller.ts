import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  ChangeUserEmailCommand,
  ChangeUserRoleCommand,
  CreateUserCommand,
  DisableUserCommand,
  EnableUserCommand,
  ResetPasswordCommand,
} from '../application/commands/user-commands.js';
import {
  ListJurisdictionsQuery,
  ListUsersQuery,
  UserNamesQuery,
  ViewJurisdictionQuery,
  ViewUserQuery,
} from '../application/queries/user-queries.js';
import { CurrentActor, Roles } from '../nest/auth.decorators.js';
import type { AuthenticatedActor } from '../tokens.js';
import {
  ChangeEmailDto,
  ChangeRoleDto,
  CreateUserDto,
  DisableUserDto,
  EnableUserDto,
  JurisdictionDetailDto,
  JurisdictionPageDto,
  JurisdictionQueryDto,
  NamesQueryDto,
  ResetPasswordDto,
  UserDetailDto,
  UserListQueryDto,
  UserPageDto,
  UserViewDto,
} from './admin.dto.js';

const SCOPE =
  '市级管理员可管理全部用户；旗县区管理员只能管理本旗县区的用户（否则 403 OUT_OF_JURISDICTION，不作任何更改）。';

/** 用户管理 (role `admin`): every change is an `identity.*` event with the acting administrator. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: '不是系统管理员，或用户不在您的辖区内（OUT_OF_JURISDICTION）' })
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  // Before ':id': the records auditors read name officers and places by id and code only.
  @Get('-/names')
  @Roles('admin:users:names', 'admin', 'auditor')
  @ApiOperation({
    summary:
      '按标识查用户姓名、角色和辖区名称，按代码查区划名称（供审计记录显示姓名与地名，不含联系方式等个人信息）',
  })
  names(@Query() q: NamesQueryDto) {
    return this.queries.execute(new UserNamesQuery(q.ids ?? [], q.codes ?? []));
  }

  @Get()
  @Roles('admin:users:list', 'admin')
  @ApiOperation({ summary: `用户列表：按角色、辖区（含下级）、在用/停用、用户名或姓名筛选，分页。${SCOPE}` })
  @ApiOkResponse({ type: UserPageDto })
  list(@CurrentActor() actor: AuthenticatedActor, @Query() q: UserListQueryDto) {
    return this.queries.execute(
      new ListUsersQuery(actor, {
        role: q.role,
        jurisdiction: q.jurisdiction,
        active: q.active,
        q: q.q,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get(':id')
  @Roles('admin:users:view', 'admin')
  @ApiOperation({ summary: '用户详情，含账号的全部变更记录（谁、何时、为何）' })
  @ApiOkResponse({ type: UserDetailDto })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND' })
  get(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string) {
    return this.queries.execute(new ViewUserQuery(actor, id));
  }

  @Post()
  @Roles('admin:users:create', 'admin')
  @ApiOperation({
    summary: `新建用户：管理员设定初始密码（不返回），用户首次登录须修改。${SCOPE}旗县区管理员不能新建市级用户。`,
  })
  @ApiCreatedResponse({ type: UserViewDto })
  @ApiConflictResponse({ description: 'USERNAME_TAKEN：用户名已被使用' })
  @ApiUnprocessableEntityResponse({
    description:
      'WEAK_PASSWORD（指明违反的密码规则）、ROLE_LEVEL_MISMATCH、UNKNOWN_JURISDICTION、VALIDATION_FAILED',
  })
  create(@CurrentActor() actor: AuthenticatedActor, @Body() dto: CreateUserDto) {
    return this.commands.execute(
      new CreateUserCommand(actor, {
        username: dto.username,
        name: dto.name,
        role: dto.role,
        jurisdiction: dto.jurisdiction,
        department: dto.department,
        organisation: dto.organisation ?? null,
        password: dto.initialPassword,
        email: dto.email ?? null,
      }),
    );
  }

  @Put(':id/email')
  @Roles('admin:users:change-email', 'admin')
  @ApiOperation({
    summary: `设置或删除工作邮箱（逾期提醒发往此邮箱）：不影响登录凭证。${SCOPE}`,
  })
  @ApiOkResponse({ type: UserViewDto })
  @ApiUnprocessableEntityResponse({ description: 'VALIDATION_FAILED：邮箱格式不正确' })
  changeEmail(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() dto: ChangeEmailDto,
  ) {
    return this.commands.execute(new ChangeUserEmailCommand(actor, id, dto.email ?? null));
  }

  @Post(':id/disable')
  @HttpCode(200)
  @Roles('admin:users:disable', 'admin')
  @ApiOperation({
    summary:
      '停用用户：立即生效，其登录凭证在下一次请求时即被拒绝（401）。不能停用自己或最后一个市级管理员（409）',
  })
  @ApiOkResponse({ type: UserViewDto })
  @ApiConflictResponse({ description: 'CANNOT_DISABLE_SELF、LAST_CITY_ADMIN、USER_ALREADY_DISABLED' })
  disable(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string, @Body() dto: DisableUserDto) {
    return this.commands.execute(new DisableUserCommand(actor, id, dto.reason));
  }

  @Post(':id/enable')
  @HttpCode(200)
  @Roles('admin:users:enable', 'admin')
  @ApiOperation({ summary: '启用已停用的用户（停用前签发的登录凭证仍然无效）' })
  @ApiOkResponse({ type: UserViewDto })
  @ApiConflictResponse({ description: 'USER_ALREADY_ACTIVE' })
  enable(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string, @Body() dto: EnableUserDto) {
    return this.commands.execute(new EnableUserCommand(actor, id, dto.reason ?? null));
  }

  @Post(':id/reset-password')
  @HttpCode(200)
  @Roles('admin:users:reset-password', 'admin')
  @ApiOperation({ summary: '重置密码：设定临时密码，原登录凭证立即失效，用户下次登录须修改密码' })
  @ApiOkResponse({ type: UserViewDto })
  @ApiUnprocessableEntityResponse({ description: 'WEAK_PASSWORD（指明违反的密码规则）' })
  resetPassword(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id') id: string,
    @Body() dto: ResetPasswordDto,
  ) {
    return this.commands.execute(new ResetPasswordCommand(actor, id, dto.temporaryPassword));
  }

  @Post(':id/role')
  @HttpCode(200)
  @Roles('admin:users:change-role', 'admin')
  @ApiOperation({
    summary: `变更角色、部门、辖区：原登录凭证立即失效。${SCOPE}新辖区也须在您的辖区内。不能改自己的角色（409）`,
  })
  @ApiOkResponse({ type: UserViewDto })
  @ApiConflictResponse({ description: 'CANNOT_CHANGE_OWN_ROLE、LAST_CITY_ADMIN' })
  @ApiUnprocessableEntityResponse({
    description: 'ROLE_LEVEL_MISMATCH、DEPARTMENT_MISMATCH、UNKNOWN_JURISDICTION',
  })
  changeRole(@CurrentActor() actor: AuthenticatedActor, @Param('id') id: string, @Body() dto: ChangeRoleDto) {
    return this.commands.execute(
      new ChangeUserRoleCommand(actor, id, {
        role: dto.role,
        jurisdiction: dto.jurisdiction,
        department: dto.department,
        organisation: dto.organisation,
        reason: dto.reason ?? null,
      }),
    );
  }
}

/** 区划 (role `admin`): the tree the deployment runs on, from the national division codes. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: '不是系统管理员，或区划不在您的辖区内' })
@Controller('admin/jurisdictions')
export class AdminJurisdictionsController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get()
  @Roles('admin:jurisdictions:list', 'admin')
  @ApiOperation({ summary: '区划列表（本辖区内）：按层级、上级、名称或代码筛选，分页' })
  @ApiOkResponse({ type: JurisdictionPageDto })
  list(@CurrentActor() actor: AuthenticatedActor, @Query() q: JurisdictionQueryDto) {
    return this.queries.execute(
      new ListJurisdictionsQuery(actor, {
        level: q.level,
        parent: q.parent,
        q: q.q,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get(':code')
  @Roles('admin:jurisdictions:view', 'admin')
  @ApiOperation({ summary: '区划详情：名称、公布名称、从市到本级的路径、下级数量' })
  @ApiOkResponse({ type: JurisdictionDetailDto })
  @ApiNotFoundResponse({ description: 'JURISDICTION_NOT_FOUND' })
  get(@CurrentActor() actor: AuthenticatedActor, @Param('code') code: string) {
    return this.queries.execute(new ViewJurisdictionQuery(actor, code));
  }
}
