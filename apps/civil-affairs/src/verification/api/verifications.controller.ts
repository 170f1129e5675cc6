import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorizer, CurrentActor, Roles, type AuthenticatedActor } from '@platform/auth';
import { ImportVerificationAnswerCommand, RequestVerificationCommand } from '../application/commands.js';
import { ListVerificationsQuery, reportOf, ViewVerificationQuery } from '../application/queries.js';
import type { VerificationState } from '../domain/verification.decider.js';
import {
  ImportAnswerDto,
  RequestVerificationDto,
  VerificationListQueryDto,
  ViewVerificationQueryDto,
} from './verification.dto.js';

const OFFICERS = ['township_officer', 'county_civil_affairs'] as const;

/**
 * 家庭经济状况核对: township and county civil-affairs officers ask every department with the household's
 * authorisation and read the assembled report; county civil affairs imports the answer files of
 * departments not on the platform; auditors read.
 */
@ApiTags('household verification')
@ApiBearerAuth()
@Controller('civil-affairs/verifications')
export class VerificationsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {}

  private report(state: VerificationState) {
    const tree = this.authz.tree;
    return reportOf(state, (code) => ({
      name: tree.get(code)?.name ?? code,
      fullName: tree.fullName(code) || code,
    }));
  }

  @Post()
  @Roles('verification:request', ...OFFICERS)
  @ApiOperation({
    summary: '发起家庭经济状况核对：须有家庭成员签署的核对授权书；向平台上各部门发出请求，在规定工作日内回复',
  })
  async request(@CurrentActor() actor: AuthenticatedActor, @Body() dto: RequestVerificationDto) {
    return this.report(
      await this.commands.execute(
        new RequestVerificationCommand(actor, {
          applicationId: dto.applicationId ?? null,
          villageCode: dto.villageCode ?? null,
          members: dto.members,
          authorisation: dto.authorisation,
        }),
      ),
    );
  }

  @Get()
  @Roles('verification:list', ...OFFICERS, 'auditor')
  @ApiOperation({ summary: '本辖区的核对请求（新到旧，分页）：哪些部门已回复、未回复、逾期；不含个人信息' })
  list(@CurrentActor() actor: AuthenticatedActor, @Query() q: VerificationListQueryDto) {
    return this.queries.execute(
      new ListVerificationsQuery(actor, {
        applicationId: q.applicationId,
        pendingOnly: q.pending,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get(':id')
  @Roles('verification:view', ...OFFICERS, 'auditor')
  @ApiOperation({
    summary: '核对报告：各部门回复（含更正历史）、逾期未回复的部门；每次查看记入个人信息查看记录',
  })
  view(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: ViewVerificationQueryDto,
  ) {
    return this.queries.execute(new ViewVerificationQuery(actor, id, q.purpose ?? null));
  }

  @Post(':id/answers/import')
  @HttpCode(200)
  @Roles('verification:import', 'county_civil_affairs')
  @ApiOperation({
    summary:
      '导入未接入平台部门的回复文件（人社、市场监管、公安车管、不动产登记、银行等，CSV），逐行校验，记为事件',
  })
  async import(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ImportAnswerDto,
  ) {
    return this.report(
      await this.commands.execute(new ImportVerificationAnswerCommand(actor, id, dto.department, dto.file)),
    );
  }
}
