import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorizer, CurrentActor, Roles, type AuthenticatedActor } from '@platform/auth';
import { AmendRelativesCommand } from '../application/commands/amend-relatives.js';
import { FileStaffMemberCommand } from '../application/commands/file-staff-member.js';
import { RetireFilingCommand } from '../application/commands/retire-filing.js';
import { ListStaffFilingsQuery, ViewStaffFilingQuery } from '../application/queries/staff-filing-queries.js';
import type { StaffFilingState } from '../domain/staff-filing.decider.js';
import {
  AmendRelativesDto,
  FileStaffMemberDto,
  RetireFilingDto,
  StaffFilingListQueryDto,
  ViewFilingQueryDto,
} from './staff-filing.dto.js';
import { filingView } from './staff-filing.view.js';

/**
 * 经办人员及近亲属备案: county civil affairs and administrators within their jurisdiction; township
 * officers for the cadres of their own township's villages; auditors read.
 */
@ApiTags('staff-filings')
@ApiBearerAuth()
@Controller('civil-affairs/staff-filings')
export class StaffFilingsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {}

  private view(state: StaffFilingState, full: boolean) {
    return filingView(state, full, (code) => this.authz.tree.fullName(code));
  }

  @Post()
  @Roles('staff-filings:file', 'county_civil_affairs', 'township_officer', 'admin')
  @ApiOperation({
    summary: '经办人员、村（居）委会干部及其近亲属备案（乡镇（街道）仅可为所辖村（社区）干部备案）',
  })
  async file(@CurrentActor() actor: AuthenticatedActor, @Body() dto: FileStaffMemberDto) {
    return this.view(await this.commands.execute(new FileStaffMemberCommand(dto, actor)), false);
  }

  @Get()
  @Roles('staff-filings:list', 'county_civil_affairs', 'township_officer', 'admin', 'auditor')
  @ApiOperation({
    summary: '本辖区备案列表：按工作单位、任职地、是否在册、备案对象、姓名筛选，分页；身份证号码脱敏',
  })
  list(@CurrentActor() actor: AuthenticatedActor, @Query() q: StaffFilingListQueryDto) {
    return this.queries.execute(
      new ListStaffFilingsQuery(actor, {
        organisation: q.organisation,
        jurisdictionCode: q.jurisdictionCode,
        active: q.active,
        kind: q.kind,
        name: q.name,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get(':id')
  @Roles('staff-filings:view', 'county_civil_affairs', 'township_officer', 'admin', 'auditor')
  @ApiOperation({ summary: '备案详情：完整身份证号码；每次查看都记入个人信息查看记录' })
  async get(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: ViewFilingQueryDto,
  ) {
    return this.view(
      await this.queries.execute(new ViewStaffFilingQuery(actor, id, q.purpose ?? null)),
      true,
    );
  }

  @Post(':id/relatives')
  @HttpCode(200)
  @Roles('staff-filings:amend', 'county_civil_affairs', 'township_officer', 'admin')
  @ApiOperation({ summary: '变更近亲属：增加或删除，须说明理由' })
  async amend(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AmendRelativesDto,
  ) {
    return this.view(await this.commands.execute(new AmendRelativesCommand(id, dto, actor)), false);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @Roles('staff-filings:retire', 'county_civil_affairs', 'township_officer', 'admin')
  @ApiOperation({ summary: '注销备案（离岗）：须说明理由和离岗日期' })
  async retire(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RetireFilingDto,
  ) {
    return this.view(await this.commands.execute(new RetireFilingCommand(id, dto, actor)), false);
  }
}
