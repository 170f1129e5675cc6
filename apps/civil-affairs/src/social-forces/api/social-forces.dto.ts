import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
  IsPositive,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { OUTCOME_NAMES, OUTCOMES, SERVICE_STATUS_NAMES } from '../domain/service-assignment.decider.js';
import {
  PROVIDER_KINDS,
  providerKindList,
  SERVICE_KINDS,
  serviceKindList,
} from '../domain/social-forces.values.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const amount = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false };
const outcomeList = OUTCOMES.map((o) => `${o}（${OUTCOME_NAMES[o]}）`).join('、');

export class SocialForceProviderDto {
  @ApiProperty({ example: '临河区阳光社会工作服务中心', description: '名称（社会组织名称或个人姓名）' })
  @IsString({ message: '名称应为文字' })
  @MinLength(1, { message: '名称不能为空' })
  @MaxLength(200, { message: '名称不能超过200个字' })
  name: string;

  @ApiProperty({ enum: [...PROVIDER_KINDS], description: `类别：${providerKindList}` })
  @IsIn([...PROVIDER_KINDS], { message: `类别应为 ${providerKindList} 之一` })
  kind: string;

  @ApiProperty({ enum: [...SERVICE_KINDS], isArray: true, description: `提供的服务：${serviceKindList}` })
  @IsArray({ message: '提供的服务应为数组' })
  @ArrayMinSize(1, { message: '至少提供一项服务' })
  @IsIn([...SERVICE_KINDS], { each: true, message: `服务应为 ${serviceKindList} 之一` })
  services: string[];

  @ApiProperty({ example: ['150802000000'], description: '服务区域（区划代码，可为旗县区、乡镇或村）' })
  @IsArray({ message: '服务区域应为数组' })
  @ArrayMinSize(1, { message: '至少登记一个服务区域' })
  @ArrayMaxSize(200, { message: '服务区域最多200个' })
  @Matches(/^\d{12}$/, { each: true, message: '区划代码应为12位数字' })
  areaCodes: string[];

  @ApiPropertyOptional({
    example: ['u-sw-linhe'],
    description: '代表该社会力量记录服务的平台用户（社会工作者账号）',
  })
  @IsOptional()
  @IsArray({ message: '用户应为数组' })
  @ArrayMaxSize(100, { message: '用户最多100个' })
  @IsString({ each: true, message: '用户 ID 应为文字' })
  userIds?: string[];

  @ApiPropertyOptional({ example: '0478-8888888', description: '联系方式' })
  @IsOptional()
  @IsString({ message: '联系方式应为文字' })
  @MaxLength(200, { message: '联系方式不能超过200个字' })
  contact?: string;
}

export class SocialForceProviderChangeDto extends SocialForceProviderDto {
  @ApiPropertyOptional({ default: true, description: '是否继续服务（false：停止派单）' })
  @IsOptional()
  @IsBoolean({ message: '是否继续服务应为 true 或 false' })
  active?: boolean;
}

export class SocialServiceConsentDto {
  @ApiProperty({ example: true, description: '家庭同意接受服务并同意向服务方提供家庭信息' })
  @IsBoolean({ message: '是否同意应为 true 或 false' })
  given: boolean;

  @ApiProperty({ example: '2026-11-27', description: '签署同意书的日期（YYYY-MM-DD）' })
  @Matches(DAY, { message: '签署日期格式应为 YYYY-MM-DD' })
  recordedOn: string;

  @ApiProperty({ example: '王建国', description: '签署同意书的家庭成员' })
  @IsString({ message: '签署人应为文字' })
  @MinLength(1, { message: '签署人不能为空' })
  @MaxLength(50, { message: '签署人不能超过50个字' })
  signedBy: string;
}

export class SocialServiceAssignDto {
  @ApiProperty({ example: '0190a4c4-0000-7000-8000-000000000001', description: '案件 ID' })
  @IsUUID('all', { message: '案件 ID 应为 UUID' })
  caseId: string;

  @ApiProperty({ example: 'LH-2026-000123', description: '案件编号' })
  @IsString({ message: '案件编号应为文字' })
  @MinLength(1, { message: '案件编号不能为空' })
  @MaxLength(100, { message: '案件编号不能超过100个字' })
  caseNumber: string;

  @ApiProperty({ example: '王建国', description: '户主姓名' })
  @IsString({ message: '户主姓名应为文字' })
  @MinLength(1, { message: '户主姓名不能为空' })
  @MaxLength(50, { message: '户主姓名不能超过50个字' })
  householdName: string;

  @ApiProperty({ example: '150802100201', description: '家庭所在村（社区）的区划代码' })
  @Matches(/^\d{12}$/, { message: '村（社区）区划代码应为12位数字' })
  villageCode: string;

  @ApiProperty({ enum: [...SERVICE_KINDS], description: `服务：${serviceKindList}` })
  @IsIn([...SERVICE_KINDS], { message: `服务应为 ${serviceKindList} 之一` })
  service: string;

  @ApiProperty({ example: '独居老人，需每周上门生活照料', description: '服务需求说明' })
  @IsString({ message: '服务需求说明应为文字' })
  @MinLength(1, { message: '服务需求说明不能为空' })
  @MaxLength(5000, { message: '服务需求说明不能超过5000个字' })
  description: string;

  @ApiProperty({ description: '承接服务的社会力量' })
  @IsUUID('all', { message: '社会力量 ID 应为 UUID' })
  providerId: string;

  @ApiPropertyOptional({
    type: SocialServiceConsentDto,
    description: '家庭的同意意见：未登记同意（或 given 为 false）不能派单',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => SocialServiceConsentDto)
  consent?: SocialServiceConsentDto;

  @ApiPropertyOptional({ description: '列入的政府购买服务项目' })
  @IsOptional()
  @IsUUID('all', { message: '项目 ID 应为 UUID' })
  projectId?: string;

  @ApiPropertyOptional({
    example: 1200,
    description: '服务费用（元，最多两位小数），列入项目时必填，计入项目预算',
  })
  @IsOptional()
  @IsNumber(amount, { message: '服务费用应为数字（元，最多两位小数）' })
  @IsPositive({ message: '服务费用应大于 0' })
  cost?: number;
}

export class SocialServiceVisitDto {
  @ApiProperty({ example: '2026-11-27', description: '走访日期（YYYY-MM-DD）' })
  @Matches(DAY, { message: '走访日期格式应为 YYYY-MM-DD' })
  visitedOn: string;

  @ApiProperty({ example: '上门打扫卫生，协助购买生活用品', description: '服务内容' })
  @IsString({ message: '服务内容应为文字' })
  @MinLength(1, { message: '服务内容不能为空' })
  @MaxLength(5000, { message: '服务内容不能超过5000个字' })
  content: string;
}

export class SocialServiceOutcomeDto {
  @ApiProperty({ enum: [...OUTCOMES], description: `服务成效：${outcomeList}` })
  @IsIn([...OUTCOMES], { message: `服务成效应为 ${outcomeList} 之一` })
  outcome: string;

  @ApiProperty({ example: '老人生活环境明显改善，已链接社区助餐服务', description: '服务成效说明' })
  @IsString({ message: '服务成效说明应为文字' })
  @MinLength(1, { message: '服务成效说明不能为空' })
  @MaxLength(5000, { message: '服务成效说明不能超过5000个字' })
  summary: string;
}

export class PurchasedServiceProjectDto {
  @ApiProperty({ example: '2027 年临河区困难群众生活照料服务项目', description: '项目名称' })
  @IsString({ message: '项目名称应为文字' })
  @MinLength(1, { message: '项目名称不能为空' })
  @MaxLength(200, { message: '项目名称不能超过200个字' })
  name: string;

  @ApiProperty({ description: '承接方（已登记的社会力量）' })
  @IsUUID('all', { message: '社会力量 ID 应为 UUID' })
  providerId: string;

  @ApiProperty({ example: 200000, description: '项目预算（元，最多两位小数）' })
  @IsNumber(amount, { message: '项目预算应为数字（元，最多两位小数）' })
  @IsPositive({ message: '项目预算应大于 0' })
  budget: number;

  @ApiProperty({ example: '2026-01-01', description: '服务期开始日期（YYYY-MM-DD）' })
  @Matches(DAY, { message: '服务期开始日期格式应为 YYYY-MM-DD' })
  periodFrom: string;

  @ApiProperty({ example: '2026-12-31', description: '服务期结束日期（YYYY-MM-DD）' })
  @Matches(DAY, { message: '服务期结束日期格式应为 YYYY-MM-DD' })
  periodTo: string;
}

export class SocialForceProviderListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: [...PROVIDER_KINDS], description: '按类别筛选' })
  @IsOptional()
  @IsIn([...PROVIDER_KINDS], { message: `类别应为 ${providerKindList} 之一` })
  kind?: string;

  @ApiPropertyOptional({ enum: [...SERVICE_KINDS], description: '按提供的服务筛选' })
  @IsOptional()
  @IsIn([...SERVICE_KINDS], { message: `服务应为 ${serviceKindList} 之一` })
  service?: string;
}

const serviceStatuses = Object.keys(SERVICE_STATUS_NAMES).filter((s) => s !== 'none');

export class SocialServiceListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: serviceStatuses,
    description: '按状态筛选：in_service（服务中）、closed（已结案）',
  })
  @IsOptional()
  @IsIn(serviceStatuses, { message: `状态应为 ${serviceStatuses.join('、')} 之一` })
  status?: string;

  @ApiPropertyOptional({ description: '按承接的社会力量筛选' })
  @IsOptional()
  @IsUUID('all', { message: '社会力量 ID 应为 UUID' })
  providerId?: string;
}

export class PurchasedServiceProjectListQueryDto extends PageQueryDto {}
