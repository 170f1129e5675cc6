import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RegisterListQueryDto, RegisterLookupDto } from '@platform/assistance-register';
import { IsResidentId } from '@platform/auth';
import { PageQueryDto } from '@platform/config';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PROGRAMME_NAMES, type HousingProgramme } from '../domain/assistance-register.js';
import {
  GRADE_NAMES,
  STATUS_NAMES as RENOVATION_STATUS_NAMES,
  type Grade,
  type RenovationStatus,
} from '../domain/house-renovation.decider.js';
import {
  STATUS_NAMES as SUBSIDY_STATUS_NAMES,
  type SubsidyStatus,
} from '../domain/rental-subsidy.decider.js';
import { HOUSEHOLD_CATEGORY_NAMES } from '../domain/household.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const CODE = /^\d{12}$/;

/** Categories an officer may declare: dibao and special hardship come from civil affairs only. */
const DECLARED = Object.keys(HOUSEHOLD_CATEGORY_NAMES).filter(
  (c) => c !== 'dibao' && c !== 'special_hardship',
);
const declaredList = DECLARED.map((c) => `${c}（${HOUSEHOLD_CATEGORY_NAMES[c]}）`).join('、');
const programmes = Object.keys(PROGRAMME_NAMES) as HousingProgramme[];
const programmeList = programmes.map((p) => `${p}（${PROGRAMME_NAMES[p]}）`).join('、');

const text = (label: string, max: number) => [
  IsString({ message: `${label}应为文字` }),
  MinLength(1, { message: `${label}不能为空` }),
  MaxLength(max, { message: `${label}不能超过${max}个字` }),
];
const apply =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) =>
    decorators.forEach((d) => d(target, key));

export class HouseholdDto {
  @ApiProperty({ example: '王建军', description: '户主姓名' })
  @apply(...text('户主姓名', 50))
  headName: string;

  @ApiProperty({ example: '150802198001010012', description: '户主身份证号码' })
  @IsResidentId()
  headIdNumber: string;

  @ApiProperty({ type: [String], description: '全部家庭成员身份证号码（含户主）' })
  @IsArray({ message: '家庭成员应为身份证号码数组' })
  @ArrayMinSize(1, { message: '至少列出一名家庭成员' })
  @ArrayMaxSize(30, { message: '家庭成员不超过30人' })
  @IsResidentId({ each: true })
  memberIdNumbers: string[];
}

const categoryProperty = () =>
  apply(
    ApiPropertyOptional({
      enum: DECLARED,
      description: `家庭类别（低保、特困以民政部门认定为准，无须填写）：${declaredList}；不填为其他家庭`,
    }) as PropertyDecorator,
    IsOptional() as PropertyDecorator,
    IsIn(DECLARED, {
      message: `家庭类别应为 ${declaredList} 之一（低保、特困以民政部门认定为准）`,
    }) as PropertyDecorator,
  );

export class HousingAppraisalDto {
  @ApiProperty({ enum: ['A', 'B', 'C', 'D'], description: Object.values(GRADE_NAMES).join('；') })
  @IsIn(['A', 'B', 'C', 'D'], { message: '鉴定等级应为 A、B、C、D 之一' })
  grade: Grade;

  @ApiProperty({ example: '2026-04-08', description: '鉴定日期' })
  @Matches(DAY, { message: '鉴定日期格式应为 YYYY-MM-DD' })
  appraisedOn: string;

  @ApiProperty({ example: '五原县房屋安全鉴定站', description: '鉴定单位' })
  @apply(...text('鉴定单位', 100))
  organisation: string;

  @ApiProperty({ example: 'JD-2026-031', description: '鉴定报告编号' })
  @apply(...text('鉴定报告编号', 60))
  reportNumber: string;

  @ApiProperty({ example: '承重墙体开裂，屋架腐朽，整体危险', description: '鉴定结论' })
  @apply(...text('鉴定结论', 1000))
  findings: string;
}

export class RecordAppraisalDto {
  @ApiProperty({ type: HouseholdDto })
  @ValidateNested()
  @Type(() => HouseholdDto)
  household: HouseholdDto;

  @ApiProperty({ example: '150802100201', description: '房屋所在村（嘎查、社区）区划代码' })
  @Matches(CODE, { message: '村（嘎查、社区）区划代码应为12位数字' })
  villageCode: string;

  @ApiProperty({ example: '临河区双河镇进步村三组 12 号', description: '房屋地址' })
  @apply(...text('房屋地址', 200))
  address: string;

  @categoryProperty()
  category?: string;

  @ApiProperty({ type: HousingAppraisalDto, description: '危房鉴定' })
  @ValidateNested()
  @Type(() => HousingAppraisalDto)
  appraisal: HousingAppraisalDto;
}

export class DocumentNumberDto {
  @ApiProperty({ example: '临住建改〔2026〕031号', description: '批准文号' })
  @apply(...text('批准文号', 60))
  documentNumber: string;
}

export class StartWorksDto {
  @ApiProperty({ example: '2026-05-10', description: '开工日期' })
  @Matches(DAY, { message: '开工日期格式应为 YYYY-MM-DD' })
  startedOn: string;
}

export class CompleteWorksDto {
  @ApiProperty({ example: '2026-08-20', description: '竣工（整改完成）日期' })
  @Matches(DAY, { message: '竣工日期格式应为 YYYY-MM-DD' })
  completedOn: string;
}

export class AcceptanceDto {
  @ApiProperty({ example: '2026-09-03', description: '验收日期' })
  @Matches(DAY, { message: '验收日期格式应为 YYYY-MM-DD' })
  inspectedOn: string;

  @ApiProperty({ description: '验收是否合格' })
  @IsBoolean({ message: '验收是否合格应为 true 或 false' })
  passed: boolean;

  @ApiProperty({ type: [String], example: ['张工', '李工'], description: '验收人员（不少于2人）' })
  @IsArray({ message: '验收人员应为姓名数组' })
  @ArrayMaxSize(20, { message: '验收人员不超过20人' })
  @IsString({ each: true, message: '验收人员应为姓名' })
  @MaxLength(50, { each: true, message: '验收人员姓名不能超过50个字' })
  inspectors: string[];

  @ApiProperty({ example: '主体结构安全，符合验收要求', description: '验收意见' })
  @apply(...text('验收意见', 1000))
  findings: string;
}

export class HousingPaymentDto {
  @ApiProperty({ example: 'BF-2026-0912-07', description: '拨付（发放）凭证号' })
  @apply(...text('凭证号', 60))
  paymentReference: string;

  @ApiProperty({ example: '2026-09-12', description: '拨付（发放）日期' })
  @Matches(DAY, { message: '拨付日期格式应为 YYYY-MM-DD' })
  paidOn: string;
}

export class HousingViewQueryDto {
  @ApiPropertyOptional({ description: '查看目的（记入个人信息查看记录）', example: '补助发放核对' })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: '查看目的不能超过200个字' })
  purpose?: string;
}

export class JoinWaitingListDto {
  @ApiProperty({ type: HouseholdDto })
  @ValidateNested()
  @Type(() => HouseholdDto)
  household: HouseholdDto;

  @ApiProperty({ example: '150802001001', description: '家庭居住地（社区、村）区划代码，应在该旗县区内' })
  @Matches(CODE, { message: '居住地区划代码应为12位数字' })
  jurisdictionCode: string;

  @categoryProperty()
  category?: string;

  @ApiProperty({ example: '2026-03-01', description: '申请日期' })
  @Matches(DAY, { message: '申请日期格式应为 YYYY-MM-DD' })
  appliedOn: string;
}

export class WaitingListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2026-10-15', description: '名单日期（默认今天）：按当日类别排序' })
  @IsOptional()
  @Matches(DAY, { message: '名单日期格式应为 YYYY-MM-DD' })
  day?: string;
}

export class UnitDto {
  @ApiProperty({ example: 'GZF-3-502', description: '房源编号' })
  @apply(...text('房源编号', 60))
  unitId: string;

  @ApiProperty({ example: '临河区新华街公租房小区 3 号楼 502', description: '房源地址' })
  @apply(...text('房源地址', 200))
  address: string;

  @ApiProperty({ example: 1, description: '卧室数' })
  @Type(() => Number)
  @IsInt({ message: '卧室数应为整数' })
  @Min(0, { message: '卧室数不能为负' })
  @Max(10, { message: '卧室数不超过10' })
  bedrooms: number;

  @ApiProperty({ example: 48.5, description: '建筑面积（平方米）' })
  @Type(() => Number)
  @IsNumber({ maxDecimalPlaces: 2 }, { message: '建筑面积应为数字（最多两位小数）' })
  @Min(1, { message: '建筑面积应大于0' })
  @Max(500, { message: '建筑面积不超过500平方米' })
  areaM2: number;
}

export class AllocateUnitDto {
  @ApiProperty({ type: UnitDto })
  @ValidateNested()
  @Type(() => UnitDto)
  unit: UnitDto;

  @ApiProperty({ example: '2026-10-15', description: '配租日期' })
  @Matches(DAY, { message: '配租日期格式应为 YYYY-MM-DD' })
  allocatedOn: string;

  @ApiProperty({ example: '临住配〔2026〕3号', description: '配租文号' })
  @apply(...text('配租文号', 60))
  documentNumber: string;
}

export class HousingReasonDto {
  @ApiProperty({ example: '已购买住房', description: '理由' })
  @apply(...text('理由', 1000))
  reason: string;
}

export class GrantRentalSubsidyDto {
  @ApiProperty({ type: HouseholdDto })
  @ValidateNested()
  @Type(() => HouseholdDto)
  household: HouseholdDto;

  @ApiProperty({ example: '150802001001', description: '家庭居住地（社区、村）区划代码' })
  @Matches(CODE, { message: '居住地区划代码应为12位数字' })
  jurisdictionCode: string;

  @categoryProperty()
  category?: string;

  @ApiProperty({ example: '2026-01', description: '起始发放月份（YYYY-MM）' })
  @Matches(MONTH, { message: '起始发放月份格式应为 YYYY-MM' })
  firstMonth: string;

  @ApiProperty({ example: '临住补〔2025〕301号', description: '批准文号' })
  @apply(...text('批准文号', 60))
  documentNumber: string;
}

export class DisburseMonthDto extends HousingPaymentDto {
  @ApiProperty({ example: '2026-01', description: '发放月份（YYYY-MM）' })
  @Matches(MONTH, { message: '发放月份格式应为 YYYY-MM' })
  month: string;
}

export class HousingReviewDto {
  @ApiProperty({ example: '2026-12-15', description: '复核日期' })
  @Matches(DAY, { message: '复核日期格式应为 YYYY-MM-DD' })
  reviewedOn: string;

  @ApiProperty({ description: '复核是否通过' })
  @IsBoolean({ message: '复核是否通过应为 true 或 false' })
  passed: boolean;

  @ApiProperty({ example: '家庭人口、收入、住房情况无变化', description: '复核情况' })
  @apply(...text('复核情况', 1000))
  findings: string;

  @ApiProperty({ type: HouseholdDto, description: '复核时的家庭' })
  @ValidateNested()
  @Type(() => HouseholdDto)
  household: HouseholdDto;

  @categoryProperty()
  category?: string;
}

export class StopSubsidyDto extends HousingReasonDto {
  @ApiProperty({ example: '2026-12', description: '停发起始月份（YYYY-MM）' })
  @Matches(MONTH, { message: '停发起始月份格式应为 YYYY-MM' })
  stoppedFrom: string;
}

/** The housing register's own filters. */
class HousingRegisterFilters extends PageQueryDto {
  @ApiPropertyOptional({ enum: programmes, description: `救助项目：${programmeList}` })
  @IsOptional()
  @IsIn(programmes, { message: `救助项目应为 ${programmeList} 之一` })
  programme?: HousingProgramme;
}

export class HousingRegisterListQueryDto extends RegisterListQueryDto(HousingRegisterFilters, {
  jurisdiction: '在该区划（含下级）内',
  jurisdictionExample: '150802100000',
  from: '起始日期（含）',
  to: '截止日期（含）',
}) {}

/** 台账查询 by a household's members (the body the departments' registers share). */
export class HousingRegisterLookupDto extends RegisterLookupDto {}

const RENOVATION_STATUSES = (Object.keys(RENOVATION_STATUS_NAMES) as RenovationStatus[]).filter(
  (x) => x !== 'none',
);
const renovationStatusList = RENOVATION_STATUSES.map((x) => `${x}（${RENOVATION_STATUS_NAMES[x]}）`).join(
  '、',
);
const SUBSIDY_STATUSES = (Object.keys(SUBSIDY_STATUS_NAMES) as SubsidyStatus[]).filter((x) => x !== 'none');
const subsidyStatusList = SUBSIDY_STATUSES.map((x) => `${x}（${SUBSIDY_STATUS_NAMES[x]}）`).join('、');

/** What an officer's case list filters on: place, head of household. */
class CaseListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '150802100000', description: '在该区划（含下级）内' })
  @IsOptional()
  @Matches(CODE, { message: '区划代码应为12位数字' })
  jurisdictionCode?: string;

  @ApiPropertyOptional({ example: '王', description: '户主姓名（部分）或完整身份证号码' })
  @IsOptional()
  @IsString({ message: '户主应为文字' })
  @MaxLength(30, { message: '户主姓名或身份证号码不能超过30个字' })
  head?: string;
}

export class RenovationListQueryDto extends CaseListQueryDto {
  @ApiPropertyOptional({ enum: RENOVATION_STATUSES, description: `状态：${renovationStatusList}` })
  @IsOptional()
  @IsIn(RENOVATION_STATUSES, { message: `状态应为 ${renovationStatusList} 之一` })
  status?: RenovationStatus;
}

export class SubsidyListQueryDto extends CaseListQueryDto {
  @ApiPropertyOptional({ enum: SUBSIDY_STATUSES, description: `状态：${subsidyStatusList}` })
  @IsOptional()
  @IsIn(SUBSIDY_STATUSES, { message: `状态应为 ${subsidyStatusList} 之一` })
  status?: SubsidyStatus;
}
