import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessLogQueryDto, CurrentActor, Roles, type AuthenticatedActor, type Role } from '@platform/auth';
import {
  AcceptReferralCommand,
  AcknowledgeReferralCommand,
  CompleteReferralCommand,
  DeclineReferralCommand,
  NoteReferralProgressCommand,
  RebaseReferralDeadlinesCommand,
  ReopenReferralCommand,
  TransferReferralCommand,
} from '../application/commands/officer-actions.js';
import {
  ListDeskAccessLogQuery,
  ListReferralInboxQuery,
} from '../application/queries/list-referral-inbox.js';
import { ViewReferralQuery } from '../application/queries/view-referral.js';
import { CompleteDto, InboxQueryDto, NoteDto, ReasonDto, TransferDto } from './referral.dto.js';

/**
 * The department's referral desk: its inbox and the actions on a referral. Department officers act
 * within their jurisdiction; auditors read everything and change nothing. Each route builds a command
 * or query naming the department and dispatches it.
 */
export function createReferralsController(department: string, officerRole: Role) {
  @ApiTags(`${department} referrals`)
  @ApiBearerAuth()
  @Controller(`${department}/referrals`)
  class ReferralsController {
    constructor(
      @Inject(CommandBus) readonly commands: CommandBus,
      @Inject(QueryBus) readonly queries: QueryBus,
    ) {}

    @Get()
    @Roles('referrals:list', officerRole, 'auditor')
    @ApiOperation({ summary: '转办收件箱：本部门、本辖区的转办事项，逾期优先，分页' })
    list(@CurrentActor() actor: AuthenticatedActor, @Query() q: InboxQueryDto) {
      return this.queries.execute(new ListReferralInboxQuery(department, actor, q));
    }

    @Get(':id')
    @Roles('referrals:view', officerRole, 'auditor')
    @ApiOperation({ summary: '转办详情（含申请人信息，查看会被记录）' })
    get(
      @CurrentActor() actor: AuthenticatedActor,
      @Param('id', ParseUUIDPipe) id: string,
      @Query('purpose') purpose?: string,
    ) {
      return this.queries.execute(new ViewReferralQuery(department, actor, id, purpose ?? null));
    }

    @Post(':id/acknowledge')
    @HttpCode(200)
    @Roles('referrals:acknowledge', officerRole)
    @ApiOperation({ summary: '签收' })
    acknowledge(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
      return this.commands.execute(new AcknowledgeReferralCommand(department, id, actor));
    }

    @Post(':id/accept')
    @HttpCode(200)
    @Roles('referrals:accept', officerRole)
    @ApiOperation({ summary: '受理' })
    accept(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
      return this.commands.execute(new AcceptReferralCommand(department, id, actor));
    }

    @Post(':id/decline')
    @HttpCode(200)
    @Roles('referrals:decline', officerRole)
    @ApiOperation({ summary: '不予受理（须说明理由，退回一门受理窗口重新转办或上报）' })
    decline(
      @CurrentActor() actor: AuthenticatedActor,
      @Param('id', ParseUUIDPipe) id: string,
      @Body() body: ReasonDto,
    ) {
      return this.commands.execute(new DeclineReferralCommand(department, id, actor, body.reason));
    }

    @Post(':id/progress')
    @HttpCode(200)
    @Roles('referrals:progress', officerRole)
    @ApiOperation({ summary: '记录办理进度' })
    progress(
      @CurrentActor() actor: AuthenticatedActor,
      @Param('id', ParseUUIDPipe) id: string,
      @Body() body: NoteDto,
    ) {
      return this.commands.execute(new NoteReferralProgressCommand(department, id, actor, body.note));
    }

    @Post(':id/complete')
    @HttpCode(200)
    @Roles('referrals:complete', officerRole)
    @ApiOperation({ summary: '办结：给予救助（金额/服务）、不符合条件（理由）或退回' })
    complete(
      @CurrentActor() actor: AuthenticatedActor,
      @Param('id', ParseUUIDPipe) id: string,
      @Body() body: CompleteDto,
    ) {
      return this.commands.execute(
        new CompleteReferralCommand(
          department,
          id,
          actor,
          body.outcome,
          body.amount ?? null,
          body.service ?? null,
          body.reason ?? null,
        ),
      );
    }

    @Post(':id/reopen')
    @HttpCode(200)
    @Roles('referrals:reopen', officerRole)
    @ApiOperation({ summary: '重新办理已办结的转办事项（保留历史）' })
    reopen(
      @CurrentActor() actor: AuthenticatedActor,
      @Param('id', ParseUUIDPipe) id: string,
      @Body() body: NoteDto,
    ) {
      return this.commands.execute(new ReopenReferralCommand(department, id, actor, body.note));
    }

    @Post(':id/transfer')
    @HttpCode(200)
    @Roles('referrals:transfer', officerRole)
    @ApiOperation({
      summary: '移交其他部门（须说明理由）：本部门办结，由一门受理窗口记录并转办给目标部门，无需窗口操作',
    })
    transfer(
      @CurrentActor() actor: AuthenticatedActor,
      @Param('id', ParseUUIDPipe) id: string,
      @Body() body: TransferDto,
    ) {
      return this.commands.execute(
        new TransferReferralCommand(department, id, actor, body.toDepartment, body.reason),
      );
    }

    @Post(':id/deadlines/rebase')
    @HttpCode(200)
    @Roles('referrals:rebase-deadlines', 'admin')
    @ApiOperation({
      summary: '按当前工作日历重新计算办理期限（管理员，须说明理由；原期限保留在记录中）',
    })
    rebase(
      @CurrentActor() actor: AuthenticatedActor,
      @Param('id', ParseUUIDPipe) id: string,
      @Body() body: ReasonDto,
    ) {
      return this.commands.execute(new RebaseReferralDeadlinesCommand(department, id, actor, body.reason));
    }

    @Get('-/access-log')
    @Roles('audit:access-log', 'auditor')
    @ApiOperation({ summary: '本部门个人信息查看记录（审计），分页' })
    accessLog(@Query() q: AccessLogQueryDto) {
      return this.queries.execute(new ListDeskAccessLogQuery(department, q));
    }
  }
  return ReferralsController;
}
