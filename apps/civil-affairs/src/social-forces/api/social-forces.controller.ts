import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Authorizer,
  CurrentActor,
  Roles,
  UserDirectory,
  type AuthenticatedActor,
  type Role,
} from '@platform/auth';
import { PageQueryDto } from '@platform/config';
import { CreatePurchasedServiceProjectCommand } from '../application/commands/projects.js';
import {
  ChangeSocialForceProviderCommand,
  RegisterSocialForceProviderCommand,
  type ProviderWithUsers,
} from '../application/commands/providers.js';
import {
  AssignSocialServiceCommand,
  RecordSocialServiceOutcomeCommand,
  RecordSocialServiceVisitCommand,
} from '../application/commands/services.js';
import {
  ListPurchasedServiceProjectsQuery,
  ListSocialForceProvidersQuery,
  ListSocialServicesQuery,
  ViewPurchasedServiceProjectQuery,
  ViewSocialForceProviderQuery,
  ViewSocialServiceQuery,
} from '../application/queries/social-forces-queries.js';
import type { ProjectState } from '../domain/purchased-project.decider.js';
import type { ServiceState } from '../domain/service-assignment.decider.js';
import {
  PurchasedServiceProjectDto,
  PurchasedServiceProjectListQueryDto,
  SocialForceProviderChangeDto,
  SocialForceProviderDto,
  SocialForceProviderListQueryDto,
  SocialServiceAssignDto,
  SocialServiceListQueryDto,
  SocialServiceOutcomeDto,
  SocialServiceVisitDto,
} from './social-forces.dto.js';
import { projectView, providerView, serviceView } from './social-forces.view.js';

const READERS: Role[] = [
  'county_civil_affairs',
  'social_worker',
  'government_liaison',
  'joint_meeting_viewer',
  'auditor',
];

/**
 * 社会力量参与社会救助: county civil affairs keeps the registry of providers and the purchased-service
 * projects and assigns services to cases with the household's consent; the provider's social worker (or
 * the county on its behalf) records visits and the outcome.
 */
@ApiTags('social-forces')
@ApiBearerAuth()
@Controller('civil-affairs/social-forces')
export class SocialForcesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(Authorizer) private readonly authz: Authorizer,
    @Inject(UserDirectory) private readonly directory: UserDirectory,
  ) {}

  private readonly placeName = (code: string) => this.authz.tree.fullName(code);

  private provider({ state, userNames }: ProviderWithUsers) {
    return providerView(state, this.placeName, userNames);
  }

  @Post('providers')
  @Roles('social-forces:providers', 'county_civil_affairs')
  @ApiOperation({
    summary: '登记社会力量：名称、类别（社会组织/社会工作者/志愿者）、提供的服务、服务区域、工作人员账号',
  })
  async register(@CurrentActor() actor: AuthenticatedActor, @Body() dto: SocialForceProviderDto) {
    return this.provider(await this.commands.execute(new RegisterSocialForceProviderCommand(dto, actor)));
  }

  @Put('providers/:id')
  @Roles('social-forces:providers', 'county_civil_affairs')
  @ApiOperation({ summary: '变更社会力量登记信息（整体替换），或停止派单（active=false）' })
  async change(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SocialForceProviderChangeDto,
  ) {
    return this.provider(await this.commands.execute(new ChangeSocialForceProviderCommand(id, dto, actor)));
  }

  @Get('providers')
  @Roles('social-forces:list', ...READERS)
  @ApiOperation({ summary: '本旗县区社会力量名录：按类别、服务筛选，分页' })
  providers(@CurrentActor() actor: AuthenticatedActor, @Query() q: SocialForceProviderListQueryDto) {
    return this.queries.execute(
      new ListSocialForceProvidersQuery(actor, {
        kind: q.kind,
        service: q.service,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get('workers')
  @Roles('social-forces:providers', 'county_civil_affairs')
  @ApiOperation({
    summary: '本旗县区在用的社会工作者账号（姓名、所属机构、所在地），登记社会力量时选择其工作人员；分页',
  })
  async workers(@CurrentActor() actor: AuthenticatedActor, @Query() q: PageQueryDto) {
    const county = this.authz.tree.at(actor.jurisdiction, 'county')?.code ?? actor.jurisdiction;
    const { items, total } = await this.directory.socialWorkersOf(county, q.page, q.pageSize);
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  @Get('providers/:id')
  @Roles('social-forces:view', ...READERS)
  @ApiOperation({ summary: '社会力量详情' })
  async providerDetail(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.provider(await this.queries.execute(new ViewSocialForceProviderQuery(actor, id)));
  }

  @Post('services')
  @Roles('social-forces:assign', 'county_civil_affairs')
  @ApiOperation({
    summary:
      '派单：为案件指定社会力量提供服务；须登记家庭同意意见，服务方须在该家庭所在区域提供该项服务；列入购买服务项目的计入项目预算',
  })
  async assign(@CurrentActor() actor: AuthenticatedActor, @Body() dto: SocialServiceAssignDto) {
    return serviceView(
      (await this.commands.execute(new AssignSocialServiceCommand(dto, actor))) as ServiceState,
      this.placeName,
    );
  }

  @Get('services')
  @Roles('social-forces:list', ...READERS)
  @ApiOperation({
    summary: '本辖区社会力量服务列表：按状态、服务方筛选，分页；社会工作者只看本机构承接的服务',
  })
  services(@CurrentActor() actor: AuthenticatedActor, @Query() q: SocialServiceListQueryDto) {
    return this.queries.execute(
      new ListSocialServicesQuery(actor, {
        status: q.status,
        providerId: q.providerId,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get('services/:id')
  @Roles('social-forces:view', ...READERS)
  @ApiOperation({ summary: '社会力量服务详情：同意意见、走访记录、服务成效；记入个人信息查看记录' })
  async serviceDetail(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
    return serviceView(
      (await this.queries.execute(new ViewSocialServiceQuery(actor, id))) as ServiceState,
      this.placeName,
    );
  }

  @Post('services/:id/visits')
  @Roles('social-forces:visit', 'social_worker', 'county_civil_affairs')
  @ApiOperation({
    summary: '登记走访：走访日期、服务内容（服务方工作人员，或旗县区民政部门代为登记）；结案后不能再登记',
  })
  async visit(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SocialServiceVisitDto,
  ) {
    return serviceView(
      (await this.commands.execute(new RecordSocialServiceVisitCommand(id, dto, actor))) as ServiceState,
      this.placeName,
    );
  }

  @Post('services/:id/outcome')
  @HttpCode(200)
  @Roles('social-forces:outcome', 'social_worker', 'county_civil_affairs')
  @ApiOperation({ summary: '登记服务成效并结案' })
  async outcome(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SocialServiceOutcomeDto,
  ) {
    return serviceView(
      (await this.commands.execute(new RecordSocialServiceOutcomeCommand(id, dto, actor))) as ServiceState,
      this.placeName,
    );
  }

  @Post('projects')
  @Roles('social-forces:projects', 'county_civil_affairs')
  @ApiOperation({ summary: '政府购买服务项目立项：项目名称、承接方、预算（元）、服务期' })
  async createProject(@CurrentActor() actor: AuthenticatedActor, @Body() dto: PurchasedServiceProjectDto) {
    return projectView(
      (await this.commands.execute(new CreatePurchasedServiceProjectCommand(dto, actor))) as ProjectState,
      this.placeName,
    );
  }

  @Get('projects')
  @Roles('social-forces:list', ...READERS)
  @ApiOperation({ summary: '本旗县区政府购买服务项目列表：预算、已用、剩余，分页' })
  projects(@CurrentActor() actor: AuthenticatedActor, @Query() q: PurchasedServiceProjectListQueryDto) {
    return this.queries.execute(
      new ListPurchasedServiceProjectsQuery(actor, { page: q.page, pageSize: q.pageSize }),
    );
  }

  @Get('projects/:id')
  @Roles('social-forces:view', ...READERS)
  @ApiOperation({ summary: '政府购买服务项目详情：计入项目的每项服务及费用' })
  async projectDetail(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
    return projectView(
      (await this.queries.execute(new ViewPurchasedServiceProjectQuery(actor, id))) as ProjectState,
      this.placeName,
    );
  }
}
