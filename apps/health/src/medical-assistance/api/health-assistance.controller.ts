import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorizer, CurrentActor, Roles, type AuthenticatedActor } from '@platform/auth';
import {
  IdentifyDiseaseEmergencyPatientCommand,
  PayDiseaseEmergencyCommand,
  RefuseDiseaseEmergencyCommand,
  ReportDiseaseEmergencyCommand,
  ReviewDiseaseEmergencyCommand,
} from '../application/commands/disease-emergency.js';
import {
  RecordMedicalCategoryCommand,
  RecordMedicalClaimCommand,
  type RecordedClaim,
} from '../application/commands/medical-claims.js';
import {
  ListDiseaseEmergencyReportsQuery,
  ViewDiseaseEmergencyReportQuery,
} from '../application/queries/disease-emergency-queries.js';
import {
  ListMedicalClaimsQuery,
  ViewMedicalPersonQuery,
  type PersonRecord,
} from '../application/queries/medical-assistance-queries.js';
import {
  ListHealthRegisterQuery,
  LookupHealthRegisterQuery,
} from '../application/queries/register-queries.js';
import type { DiseaseEmergencyState } from '../domain/disease-emergency.decider.js';
import type { CategoryFactData } from '../domain/medical-assistance.decider.js';
import {
  ClaimListQueryDto,
  IdentifyPatientDto,
  PayDto,
  PersonLookupDto,
  RecordCategoryDto,
  RecordClaimDto,
  HealthRefuseDto,
  HealthRegisterListQueryDto,
  HealthRegisterLookupDto,
  ReportDiseaseEmergencyDto,
  ReportListQueryDto,
  HealthReviewDto,
  HealthViewQueryDto,
} from './health-assistance.dto.js';
import {
  categoryFactView,
  claimView,
  personView,
  reportView,
  standingView,
} from './health-assistance.view.js';

/** Place names for views: the tree's name of a county, or its code. */
abstract class HealthController {
  constructor(
    @Inject(CommandBus) protected readonly commands: CommandBus,
    @Inject(QueryBus) protected readonly queries: QueryBus,
    @Inject(Authorizer) protected readonly authz: Authorizer,
  ) {}

  protected readonly placeName = (code: string) => this.authz.tree.get(code)?.name ?? code;
}

/**
 * 医疗救助: health officers record settlements within their county (the city's officer, city-wide);
 * the amount is computed, never typed. Auditors read.
 */
@ApiTags('health medical assistance')
@ApiBearerAuth()
@Controller('health/medical-assistance')
export class MedicalAssistanceController extends HealthController {
  @Post('claims')
  @Roles('medical-assistance:assess', 'health_officer')
  @ApiOperation({
    summary:
      '录入医疗救助结算并核定救助金额：按结算日生效的医疗救助政策参数、当日救助对象类别、年度起付线和年度救助限额计算；同一结算单号重复提交只核定一次',
  })
  async record(@CurrentActor() actor: AuthenticatedActor, @Body() dto: RecordClaimDto) {
    const r: RecordedClaim = await this.commands.execute(new RecordMedicalClaimCommand(dto, actor));
    return {
      claim: claimView(r.claim, false, this.placeName),
      standing: standingView(r.standing),
      alreadyAssessed: r.alreadyAssessed,
    };
  }

  @Get('claims')
  @Roles('medical-assistance:list', 'health_officer', 'auditor')
  @ApiOperation({
    summary:
      '医疗救助结算列表：本辖区，按旗县区、救助对象、状态、年度筛选，分页；姓名、身份证号码脱敏（查看个人记录时完整显示并记录查看）',
  })
  list(@CurrentActor() actor: AuthenticatedActor, @Query() q: ClaimListQueryDto) {
    return this.queries.execute(
      new ListMedicalClaimsQuery(actor, {
        countyCode: q.countyCode,
        personIdNumber: q.personIdNumber,
        status: q.status,
        year: q.year,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Post('people/lookup')
  @HttpCode(200)
  @Roles('medical-assistance:view', 'health_officer', 'auditor')
  @ApiOperation({
    summary:
      '个人医疗救助记录：全部结算、救助对象类别，以及本年度（或指定年度）救助限额的剩余额度；每次查看都记入个人信息查看记录',
  })
  async person(@CurrentActor() actor: AuthenticatedActor, @Body() dto: PersonLookupDto) {
    const record: PersonRecord = await this.queries.execute(
      new ViewMedicalPersonQuery(actor, dto.idNumber, dto.year ?? null, dto.purpose ?? null),
    );
    return personView(record, this.placeName);
  }

  @Post('categories')
  @Roles('medical-assistance:categories', 'health_officer')
  @ApiOperation({
    summary:
      '登记救助对象类别（低保边缘、防止返贫监测、因病致贫重病患者等未经平台传来的认定）：自生效日期起适用；民政部门的低保、特困认定自动接收',
  })
  async category(@CurrentActor() actor: AuthenticatedActor, @Body() dto: RecordCategoryDto) {
    const fact: CategoryFactData = await this.commands.execute(new RecordMedicalCategoryCommand(dto, actor));
    return categoryFactView(fact);
  }
}

/**
 * 疾病应急救助: a hospital's report (entered by a health officer of its county) → review → payment to the
 * hospital within the per-case cap, or refusal with reasons; the patient identified at any step.
 */
@ApiTags('health disease emergency')
@ApiBearerAuth()
@Controller('health/disease-emergency/reports')
export class DiseaseEmergencyController extends HealthController {
  private async step(
    command:
      | ReviewDiseaseEmergencyCommand
      | RefuseDiseaseEmergencyCommand
      | PayDiseaseEmergencyCommand
      | IdentifyDiseaseEmergencyPatientCommand,
  ) {
    const state: DiseaseEmergencyState = await this.commands.execute(command);
    return reportView(state, false, this.placeName);
  }

  @Post()
  @Roles('disease-emergency:report', 'health_officer')
  @ApiOperation({ summary: '登记医疗机构的疾病应急救助报告（身份不明或无力支付的急救患者）' })
  async report(@CurrentActor() actor: AuthenticatedActor, @Body() dto: ReportDiseaseEmergencyDto) {
    const state: DiseaseEmergencyState = await this.commands.execute(
      new ReportDiseaseEmergencyCommand(
        {
          ...dto,
          patient: dto.patient.identified
            ? {
                identified: true,
                idNumber: dto.patient.idNumber!,
                name: dto.patient.name!,
                householdId: dto.patient.householdId ?? null,
              }
            : { identified: false, description: dto.patient.description! },
        },
        actor,
      ),
    );
    return reportView(state, false, this.placeName);
  }

  @Get()
  @Roles('disease-emergency:list', 'health_officer', 'auditor')
  @ApiOperation({
    summary: '疾病应急救助报告列表：本辖区，按旗县区、状态筛选，分页；患者姓名、身份证号码脱敏',
  })
  list(@CurrentActor() actor: AuthenticatedActor, @Query() q: ReportListQueryDto) {
    return this.queries.execute(
      new ListDiseaseEmergencyReportsQuery(actor, {
        countyCode: q.countyCode,
        status: q.status,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get(':id')
  @Roles('disease-emergency:view', 'health_officer', 'auditor')
  @ApiOperation({
    summary: '疾病应急救助报告详情：已确认身份的患者信息完整显示，每次查看都记入个人信息查看记录',
  })
  async view(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: HealthViewQueryDto,
  ) {
    const state: DiseaseEmergencyState = await this.queries.execute(
      new ViewDiseaseEmergencyReportQuery(actor, id, q.purpose ?? null),
    );
    return reportView(state, true, this.placeName);
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles('disease-emergency:review', 'health_officer')
  @ApiOperation({ summary: '审核：按入院日生效的每例支付限额核定支付医疗机构的金额' })
  review(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: HealthReviewDto,
  ) {
    return this.step(new ReviewDiseaseEmergencyCommand(id, dto.opinion, actor));
  }

  @Post(':id/refuse')
  @HttpCode(200)
  @Roles('disease-emergency:refuse', 'health_officer')
  @ApiOperation({ summary: '不予救助：须写明理由（支付前）' })
  refuse(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: HealthRefuseDto,
  ) {
    return this.step(new RefuseDiseaseEmergencyCommand(id, dto.reasons, actor));
  }

  @Post(':id/pay')
  @HttpCode(200)
  @Roles('disease-emergency:pay', 'health_officer')
  @ApiOperation({ summary: '向医疗机构拨付核定金额（不向患者支付）' })
  pay(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PayDto,
  ) {
    return this.step(new PayDiseaseEmergencyCommand(id, dto, actor));
  }

  @Post(':id/identify')
  @HttpCode(200)
  @Roles('disease-emergency:identify', 'health_officer')
  @ApiOperation({ summary: '登记事后确认的患者身份（计入救助台账）' })
  identify(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: IdentifyPatientDto,
  ) {
    return this.step(new IdentifyDiseaseEmergencyPatientCommand(id, dto, actor));
  }
}

/** 救助台账: the register of assistance given, from which household verification is answered. */
@ApiTags('health assistance register')
@ApiBearerAuth()
@Controller('health/assistance-register')
export class HealthRegisterController extends HealthController {
  @Post('lookup')
  @HttpCode(200)
  @Roles('health-register:lookup', 'health_officer', 'auditor')
  @ApiOperation({
    summary:
      '按家庭成员身份证号码查询救助台账：全部记录，以及按核对基准日回复家庭经济状况核对的内容；每人每次查询都记入个人信息查看记录',
  })
  lookup(@CurrentActor() actor: AuthenticatedActor, @Body() dto: HealthRegisterLookupDto) {
    return this.queries.execute(
      new LookupHealthRegisterQuery(actor, dto.memberIdNumbers, dto.asOf ?? null, dto.purpose ?? null),
    );
  }

  @Get()
  @Roles('health-register:list', 'health_officer', 'auditor')
  @ApiOperation({ summary: '救助台账列表：本辖区，按旗县区、救助项目、日期筛选，分页；身份证号码脱敏' })
  list(@CurrentActor() actor: AuthenticatedActor, @Query() q: HealthRegisterListQueryDto) {
    return this.queries.execute(
      new ListHealthRegisterQuery(actor, {
        countyCode: q.countyCode,
        programme: q.programme,
        from: q.from,
        to: q.to,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }
}
