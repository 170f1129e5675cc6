import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsResidentId } from '@platform/auth';
import { PageQueryDto } from '@platform/config';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PROGRAMME_NAMES, type HealthProgramme } from '../domain/assistance-register.js';
import {
  REASON_NAMES,
  STATUS_NAMES as REPORT_STATUS_NAMES,
  type EmergencyReason,
  type EmergencyStatus,
} from '../domain/disease-emergency.decider.js';
import {
  CATEGORY_NAMES,
  CLAIM_STATUS_NAMES,
  CLAIM_STATUSES,
  FACT_NAMES,
  type CategoryFactKind,
  type ClaimStatus,
  type GrantedCategory,
} from '../domain/medical-assistance.decider.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^\d{12}$/;
const listOf = (names: Record<string, string>, keys = Object.keys(names)) =>
  keys.map((k) => `${k}（${names[k]}）`).join('、');

const Text = (what: string, max: number): PropertyDecorator => {
  const decorators = [
    IsString({ message: `${what}应为文字` }),
    MinLength(1, { message: `${what}不能为空` }),
    MaxLength(max, { message: `${what}不能超过${max}个字符` }),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
};
const Day = (what: string): PropertyDecorator => Matches(DAY, { message: `${what}格式应为 YYYY-MM-DD` });
const County = (what: string): PropertyDecorator => Matches(CODE, { message: `${what}应为12位区划代码` });
const Yuan = (what: string): PropertyDecorator => {
  const decorators = [
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: `${what}应为金额（元）` }),
    Min(0, { message: `${what}不能为负数` }),
    Max(100_000_000, { message: `${what}过大` }),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

const GRANTED = Object.keys(CATEGORY_NAMES).filter((c) => c !== 'other') as GrantedCategory[];
const GRANTED_NAMES = Object.fromEntries(GRANTED.map((c) => [c, CATEGORY_NAMES[c]]));
const KINDS = Object.keys(FACT_NAMES) as CategoryFactKind[];
const REASONS = Object.keys(REASON_NAMES) as EmergencyReason[];
const REPORT_STATUSES = (Object.keys(REPORT_STATUS_NAMES) as EmergencyStatus[]).filter((s) => s !== 'none');
const PROGRAMMES = Object.keys(PROGRAMME_NAMES) as HealthProgramme[];

export class PersonDto {
  @ApiProperty({ example: '150802196505051228', description: '18位居民身份证号码（GB 11643-1999 校验）' })
  @IsResidentId()
  idNumber: string;

  @ApiProperty({ example: '王桂花' })
  @Text('姓名', 50)
  name: string;

  @ApiPropertyOptional({ description: '所在家庭（一门受理的家庭编号），已知时填写' })
  @IsOptional()
  @Text('家庭编号', 64)
  householdId?: string;
}

export class RecordClaimDto {
  @ApiProperty({ example: 'JS20261105000123', description: '结算单号（同一结算单重复提交只核定一次）' })
  @Text('结算单号', 60)
  claimId: string;

  @ApiProperty({ type: PersonDto, description: '救助对象' })
  @ValidateNested()
  @Type(() => PersonDto)
  person: PersonDto;

  @ApiProperty({ example: '150802000000', description: '救助地（参保地）旗县区的区划代码' })
  @County('救助地区划代码')
  countyCode: string;

  @ApiProperty({ example: '2026-11-05', description: '结算日期（YYYY-MM-DD，北京时间）' })
  @Day('结算日期')
  serviceDate: string;

  @ApiProperty({ example: '巴彦淖尔市医院', description: '医疗机构' })
  @Text('医疗机构', 100)
  hospital: string;

  @ApiProperty({ description: '是否为重特大疾病（以医疗机构诊断为准）' })
  @IsBoolean({ message: '是否重特大疾病应为 true 或 false' })
  seriousIllness: boolean;

  @ApiProperty({ example: 15000, description: '医疗总费用（元）' })
  @Yuan('医疗总费用')
  totalCostYuan: number;

  @ApiProperty({ example: 12000, description: '政策范围内费用（元）' })
  @Yuan('政策范围内费用')
  inPolicyCostYuan: number;

  @ApiProperty({ example: 6600, description: '基本医疗保险支付（元）' })
  @Yuan('基本医保支付')
  basicInsurancePaidYuan: number;

  @ApiProperty({ example: 1400, description: '大病保险支付（元）' })
  @Yuan('大病保险支付')
  criticalIllnessInsurancePaidYuan: number;
}

export class CategoryPersonDto {
  @ApiProperty({ example: '150802196505051228' })
  @IsResidentId()
  idNumber: string;

  @ApiPropertyOptional({ example: '王桂花' })
  @IsOptional()
  @Text('姓名', 50)
  name?: string;
}

export class RecordCategoryDto {
  @ApiProperty({ type: CategoryPersonDto })
  @ValidateNested()
  @Type(() => CategoryPersonDto)
  person: CategoryPersonDto;

  @ApiProperty({ example: '150802000000', description: '作出认定的旗县区' })
  @County('认定地区划代码')
  countyCode: string;

  @ApiProperty({ enum: KINDS, description: `记录类型：${listOf(FACT_NAMES)}` })
  @IsIn(KINDS, { message: `记录类型应为 ${listOf(FACT_NAMES)} 之一` })
  kind: CategoryFactKind;

  @ApiProperty({
    enum: GRANTED,
    nullable: true,
    description: `救助对象类别（停止时为 null）：${listOf(GRANTED_NAMES)}`,
  })
  @ValidateIf((o: RecordCategoryDto) => o.category !== null)
  @IsIn(GRANTED, { message: `救助对象类别应为 ${listOf(GRANTED_NAMES)} 之一，停止时为 null` })
  category: GrantedCategory | null;

  @ApiProperty({ example: '2026-01-01', description: '生效日期' })
  @Day('生效日期')
  effectiveFrom: string;

  @ApiProperty({ example: '乡村振兴局 防止返贫监测对象认定〔2026〕15号', description: '认定依据' })
  @Text('认定依据', 200)
  source: string;
}

export class ClaimListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '150802000000', description: '只列该旗县区' })
  @IsOptional()
  @County('区划代码')
  countyCode?: string;

  @ApiPropertyOptional({ description: '只列该人的结算（身份证号码）' })
  @IsOptional()
  @IsResidentId()
  personIdNumber?: string;

  @ApiPropertyOptional({ enum: CLAIM_STATUSES, description: listOf(CLAIM_STATUS_NAMES) })
  @IsOptional()
  @IsIn(CLAIM_STATUSES, { message: `状态应为 ${listOf(CLAIM_STATUS_NAMES)} 之一` })
  status?: ClaimStatus;

  @ApiPropertyOptional({ example: '2026', description: '结算年度' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: '年度应为4位数字' })
  year?: string;
}

export class PersonLookupDto {
  @ApiProperty({ example: '150802196505051228', description: '身份证号码' })
  @IsResidentId()
  idNumber: string;

  @ApiPropertyOptional({ example: '2026', description: '年度（默认本年度）' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: '年度应为4位数字' })
  year?: string;

  @ApiPropertyOptional({ description: '查看目的（记入个人信息查看记录）' })
  @IsOptional()
  @Text('查看目的', 200)
  purpose?: string;
}

export class HospitalDto {
  @ApiProperty({ example: 'H150802001', description: '医疗机构代码' })
  @Text('医疗机构代码', 40)
  code: string;

  @ApiProperty({ example: '巴彦淖尔市医院' })
  @Text('医疗机构名称', 100)
  name: string;

  @ApiProperty({ example: '150802000000', description: '医疗机构所在旗县区' })
  @County('医疗机构所在旗县区代码')
  countyCode: string;
}

export class PatientDto {
  @ApiProperty({ description: '患者身份是否明确' })
  @IsBoolean({ message: '患者身份是否明确应为 true 或 false' })
  identified: boolean;

  @ApiPropertyOptional({ description: '身份明确时：身份证号码' })
  @ValidateIf((o: PatientDto) => o.identified === true)
  @IsResidentId()
  idNumber?: string;

  @ApiPropertyOptional({ description: '身份明确时：姓名' })
  @ValidateIf((o: PatientDto) => o.identified === true)
  @Text('患者姓名', 50)
  name?: string;

  @ApiPropertyOptional({ description: '身份明确时：所在家庭编号（已知时）' })
  @IsOptional()
  @Text('家庭编号', 64)
  householdId?: string;

  @ApiPropertyOptional({ example: '男性，约 40 岁，于路边昏迷被送医', description: '身份不明时：患者特征' })
  @ValidateIf((o: PatientDto) => o.identified === false)
  @Text('患者特征描述', 500)
  description?: string;
}

export class ReportDiseaseEmergencyDto {
  @ApiProperty({ type: HospitalDto })
  @ValidateNested()
  @Type(() => HospitalDto)
  hospital: HospitalDto;

  @ApiProperty({ type: PatientDto })
  @ValidateNested()
  @Type(() => PatientDto)
  patient: PatientDto;

  @ApiProperty({ enum: REASONS, description: `救助原因：${listOf(REASON_NAMES)}` })
  @IsIn(REASONS, { message: `救助原因应为 ${listOf(REASON_NAMES)} 之一` })
  reason: EmergencyReason;

  @ApiProperty({ example: '2026-11-02', description: '入院（急救）日期' })
  @Day('入院（急救）日期')
  admittedOn: string;

  @ApiProperty({ example: '颅脑外伤急诊手术，重症监护 3 日', description: '急救情况' })
  @Text('急救情况', 1000)
  treatment: string;

  @ApiProperty({ example: 12480.5, description: '急救费用（元）' })
  @Yuan('急救费用')
  emergencyCostYuan: number;

  @ApiProperty({ example: 0, description: '患者已付费用（元）' })
  @Yuan('患者已付费用')
  paidByPatientYuan: number;
}

export class HealthReviewDto {
  @ApiProperty({ example: '急救病历、费用清单齐全，属于疾病应急救助范围', description: '审核意见' })
  @Text('审核意见', 1000)
  opinion: string;
}

export class HealthRefuseDto {
  @ApiProperty({ type: [String], example: ['不属于急救范围'], description: '不予救助的理由' })
  @IsArray({ message: '不予救助理由应为数组' })
  @ArrayMinSize(1, { message: '不予救助须写明理由' })
  @ArrayMaxSize(10, { message: '不予救助理由最多10条' })
  @IsString({ each: true, message: '不予救助理由应为文字' })
  @MaxLength(500, { each: true, message: '每条理由不能超过500个字符' })
  reasons: string[];
}

export class PayDto {
  @ApiProperty({ example: 'ZF-2026-1109-01', description: '支付凭证号' })
  @Text('支付凭证号', 60)
  paymentReference: string;

  @ApiProperty({ example: '2026-11-12', description: '支付日期' })
  @Day('支付日期')
  paidOn: string;
}

export class IdentifyPatientDto {
  @ApiProperty({ example: '150821198803031219' })
  @IsResidentId()
  idNumber: string;

  @ApiProperty({ example: '巴特尔' })
  @Text('患者姓名', 50)
  name: string;

  @ApiPropertyOptional({ description: '所在家庭编号（已知时）' })
  @IsOptional()
  @Text('家庭编号', 64)
  householdId?: string;
}

export class ReportListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '150802000000', description: '只列该旗县区' })
  @IsOptional()
  @County('区划代码')
  countyCode?: string;

  @ApiPropertyOptional({ enum: REPORT_STATUSES, description: listOf(REPORT_STATUS_NAMES, REPORT_STATUSES) })
  @IsOptional()
  @IsIn(REPORT_STATUSES, { message: `状态应为 ${listOf(REPORT_STATUS_NAMES, REPORT_STATUSES)} 之一` })
  status?: EmergencyStatus;
}

export class HealthViewQueryDto {
  @ApiPropertyOptional({ description: '查看目的（记入个人信息查看记录）' })
  @IsOptional()
  @Text('查看目的', 200)
  purpose?: string;
}

export class HealthRegisterLookupDto {
  @ApiProperty({ type: [String], description: '被核对家庭成员的身份证号码（1–30人）' })
  @IsArray({ message: '家庭成员身份证号码应为数组' })
  @ArrayMinSize(1, { message: '须列出至少一名家庭成员' })
  @ArrayMaxSize(30, { message: '一次最多查询30名家庭成员' })
  @IsResidentId({ each: true })
  memberIdNumbers: string[];

  @ApiPropertyOptional({ example: '2026-11-30', description: '核对基准日（默认今天）：回复其前十二个月' })
  @IsOptional()
  @Day('核对基准日')
  asOf?: string;

  @ApiPropertyOptional({ description: '查询目的（记入个人信息查看记录）' })
  @IsOptional()
  @Text('查询目的', 200)
  purpose?: string;
}

export class HealthRegisterListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '150802000000', description: '只列该旗县区' })
  @IsOptional()
  @County('区划代码')
  countyCode?: string;

  @ApiPropertyOptional({ enum: PROGRAMMES, description: listOf(PROGRAMME_NAMES) })
  @IsOptional()
  @IsIn(PROGRAMMES, { message: `救助项目应为 ${listOf(PROGRAMME_NAMES)} 之一` })
  programme?: HealthProgramme;

  @ApiPropertyOptional({ example: '2026-01-01', description: '起始日期' })
  @IsOptional()
  @Day('起始日期')
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: '截止日期' })
  @IsOptional()
  @Day('截止日期')
  to?: string;
}
