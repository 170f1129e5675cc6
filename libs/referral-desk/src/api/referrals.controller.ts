import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AccessLog,
  AccessLogQueryDto,
  Authorizer,
  CurrentActor,
  Roles,
  type AuthenticatedActor,
  type Role,
} from '@platform/auth';
import { CLOCK, type Clock } from '@platform/config';
import { ReferralCommandService } from '../application/referral-command.service.js';
import type { ReferralCommand } from '../domain/referral.decider.js';
import { masked, ReferralInboxQuery, type InboxRow } from '../read-model/referral-inbox.query.js';
import { CompleteDto, InboxQueryDto, NoteDto, ReasonDto } from './referral.dto.js';
import { DESK } from './tokens.js';

export interface DeskContext {
  department: string;
  officerRole: Role;
  commands: ReferralCommandService;
  inbox: ReferralInboxQuery;
  accessLog: AccessLog;
}

/**
 * The department's referral desk: its inbox and the actions on a referral. Department officers act
 * within their jurisdiction; auditors read everything and change nothing.
 */
export function createReferralsController(department: string, officerRole: Role) {
  @ApiTags(`${department} referrals`)
  @ApiBearerAuth()
  @Controller(`${department}/referrals`)
  class ReferralsController {
    constructor(
      @Inject(DESK) readonly desk: DeskContext,
      @Inject(Authorizer) readonly authz: Authorizer,
      @Inject(CLOCK) readonly clock: Clock,
    ) {}

    @Get()
    @Roles('referrals:list', officerRole, 'auditor')
    @ApiOperation({ summary: '转办收件箱：本部门、本辖区的转办事项，逾期优先，分页' })
    async list(@CurrentActor() actor: AuthenticatedActor, @Query() q: InboxQueryDto) {
      const codes =
        actor.role === 'auditor'
          ? null
          : this.authz.tree
              .list()
              .filter((n) => this.authz.within(actor, n.code))
              .map((n) => n.code);
      const result = await this.desk.inbox.list({
        jurisdictionPrefixes: codes,
        status: q.status,
        overdueOnly: q.overdue,
        page: q.page,
        pageSize: q.pageSize,
      });
      return { ...result, items: result.items.map(masked) };
    }

    @Get(':id')
    @Roles('referrals:view', officerRole, 'auditor')
    @ApiOperation({ summary: '转办详情（含申请人信息，查看会被记录）' })
    async get(
      @CurrentActor() actor: AuthenticatedActor,
      @Param('id', ParseUUIDPipe) id: string,
      @Query('purpose') purpose?: string,
    ) {
      const row = await this.visible(actor, id, 'referrals:view');
      if (row.applicant) {
        await this.desk.accessLog.record(actor, {
          resourceType: 'referral',
          resourceId: id,
          caseId: row.caseId,
          fields: ['applicant.name', 'applicant.idNumber', 'applicant.phone'],
          purpose: purpose ?? null,
        });
      }
      return row;
    }

    @Post(':id/acknowledge')
    @HttpCode(200)
    @Roles('referrals:acknowledge', officerRole)
    @ApiOperation({ summary: '签收' })
    acknowledge(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
      return this.act(actor, id, 'referrals:acknowledge', (now) => ({
        type: 'AcknowledgeReferral',
        officer: actor,
        now,
      }));
    }

    @Post(':id/accept')
    @HttpCode(200)
    @Roles('referrals:accept', officerRole)
    @ApiOperation({ summary: '受理' })
    accept(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
      return this.act(actor, id, 'referrals:accept', (now) => ({
        type: 'AcceptReferral',
        officer: actor,
        now,
      }));
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
      return this.act(actor, id, 'referrals:decline', (now) => ({
        type: 'DeclineReferral',
        officer: actor,
        reason: body.reason,
        now,
      }));
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
      return this.act(actor, id, 'referrals:progress', (now) => ({
        type: 'NoteProgress',
        officer: actor,
        note: body.note,
        now,
      }));
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
      return this.act(actor, id, 'referrals:complete', (now) => ({
        type: 'CompleteReferral',
        officer: actor,
        outcome: body.outcome,
        amount: body.amount ?? null,
        service: body.service ?? null,
        reason: body.reason ?? null,
        now,
      }));
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
      return this.act(actor, id, 'referrals:reopen', (now) => ({
        type: 'ReopenReferral',
        officer: actor,
        note: body.note,
        now,
      }));
    }

    @Get('-/access-log')
    @Roles('audit:access-log', 'auditor')
    @ApiOperation({ summary: '本部门个人信息查看记录（审计），分页' })
    accessLog(@Query() q: AccessLogQueryDto) {
      return this.desk.accessLog.list(q);
    }

    private async visible(actor: AuthenticatedActor, id: string, permission: string): Promise<InboxRow> {
      const row = await this.desk.inbox.get(id);
      if (!row) throw new NotFoundException({ code: 'REFERRAL_NOT_FOUND', message: '转办事项不存在' });
      if (actor.role !== 'auditor') this.authz.assertWithin(actor, row.jurisdiction, permission);
      return row;
    }

    private async act(
      actor: AuthenticatedActor,
      id: string,
      permission: string,
      command: (now: string) => ReferralCommand,
    ) {
      await this.visible(actor, id, permission);
      const now = this.clock.now();
      const state = await this.desk.commands.handle(id, command(now.toISOString()), { actor, now });
      return { referralId: id, status: state.status };
    }
  }
  return ReferralsController;
}
