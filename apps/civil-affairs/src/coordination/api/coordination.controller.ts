import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorizer, CurrentActor, Roles, type AuthenticatedActor, type Role } from '@platform/auth';
import { CLOCK, type Clock } from '@platform/config';
import {
  AddCoordinationFollowUpCommand,
  CloseCoordinationItemCommand,
  MarkCoordinationDecisionDoneCommand,
  OpenCoordinationItemCommand,
  RecordCoordinationMeetingCommand,
} from '../application/commands/coordination-commands.js';
import {
  ListCoordinationItemsQuery,
  ViewCoordinationItemQuery,
} from '../application/queries/coordination-queries.js';
import type { CoordinationState } from '../domain/coordination.decider.js';
import {
  CoordinationCloseDto,
  CoordinationDecisionDoneDto,
  CoordinationFollowUpDto,
  CoordinationListQueryDto,
  CoordinationMeetingDto,
  CoordinationOpenItemDto,
} from './coordination.dto.js';
import { coordinationView } from './coordination.view.js';

const DEPARTMENT_OFFICERS: Role[] = [
  'county_civil_affairs',
  'health_officer',
  'housing_officer',
  'education_officer',
];
const READERS: Role[] = [...DEPARTMENT_OFFICERS, 'government_liaison', 'joint_meeting_viewer', 'auditor'];

/**
 * 一事一议: county civil affairs opens an item for a case no single department can solve, records the
 * joint meeting's minutes and decisions, and closes it; each decision's owner department marks it done;
 * the government liaison, the joint meeting and auditors read.
 */
@ApiTags('coordination')
@ApiBearerAuth()
@Controller('civil-affairs/coordination')
export class CoordinationController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(Authorizer) private readonly authz: Authorizer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private view(state: CoordinationState) {
    return coordinationView(state, (code) => this.authz.tree.fullName(code), this.clock.now());
  }

  @Post()
  @Roles('coordination:open', 'county_civil_affairs')
  @ApiOperation({ summary: '一事一议立项：案件、需要协调解决的事项、请求参与的部门、家庭所在村（社区）' })
  async open(@CurrentActor() actor: AuthenticatedActor, @Body() dto: CoordinationOpenItemDto) {
    return this.view(await this.commands.execute(new OpenCoordinationItemCommand(dto, actor)));
  }

  @Get()
  @Roles('coordination:list', ...READERS)
  @ApiOperation({ summary: '本辖区一事一议协调事项列表：按状态筛选，分页' })
  list(@CurrentActor() actor: AuthenticatedActor, @Query() q: CoordinationListQueryDto) {
    return this.queries.execute(
      new ListCoordinationItemsQuery(actor, { status: q.status, page: q.page, pageSize: q.pageSize }),
    );
  }

  @Get(':id')
  @Roles('coordination:view', ...READERS)
  @ApiOperation({
    summary: '协调事项详情：会议纪要、议定事项（责任部门、期限、是否逾期）、跟进情况；记入查看记录',
  })
  async get(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.view(await this.queries.execute(new ViewCoordinationItemQuery(actor, id)));
  }

  @Post(':id/meetings')
  @Roles('coordination:meeting', 'county_civil_affairs')
  @ApiOperation({ summary: '记录联席会议：会议日期、参会部门、会议纪要、议定事项（责任部门与办理期限）' })
  async meeting(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CoordinationMeetingDto,
  ) {
    return this.view(await this.commands.execute(new RecordCoordinationMeetingCommand(id, dto, actor)));
  }

  @Post(':id/follow-ups')
  @Roles('coordination:follow-up', ...DEPARTMENT_OFFICERS)
  @ApiOperation({ summary: '记录跟进情况' })
  async followUp(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CoordinationFollowUpDto,
  ) {
    return this.view(await this.commands.execute(new AddCoordinationFollowUpCommand(id, dto, actor)));
  }

  @Post(':id/decisions/:decisionId/done')
  @HttpCode(200)
  @Roles('coordination:decision-done', ...DEPARTMENT_OFFICERS)
  @ApiOperation({ summary: '议定事项办结：只能由责任部门的工作人员标记，须填写办理结果' })
  async done(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('decisionId', ParseUUIDPipe) decisionId: string,
    @Body() dto: CoordinationDecisionDoneDto,
  ) {
    return this.view(
      await this.commands.execute(new MarkCoordinationDecisionDoneCommand(id, decisionId, dto, actor)),
    );
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('coordination:close', 'county_civil_affairs')
  @ApiOperation({ summary: '协调事项办结：议定事项全部办结后办结，或由旗县区民政部门说明理由办结' })
  async close(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CoordinationCloseDto,
  ) {
    return this.view(await this.commands.execute(new CloseCoordinationItemCommand(id, dto, actor)));
  }
}
