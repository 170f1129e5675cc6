import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsResidentId } from '@platform/auth';
import { PageQueryDto } from '@platform/config';
import { Transform, Type } from 'class-transformer';
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
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MESSAGE = { message: '日期格式应为 YYYY-MM-DD' };
const CODE = /^\d{12}$/;
const CODE_MESSAGE = { message: '区划代码应为12位数字' };
const text = (what: string, max: number) => [
  IsString({ message: `${what}应为文字` }),
  MinLength(1, { message: `${what}不能为空` }),
  // Only spaces is as empty as nothing: an objection, an opinion or a reason must say something.
  Matches(/\S/, { message: `${what}不能为空` }),
  MaxLength(max, { message: `${what}不能超过${max}个字符` }),
];
const Text = (what: string, max: number): PropertyDecorator => {
  const decorators = text(what, max);
  return (target, key) => decorators.forEach((d) => d(target, key));
};
const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export const STATUSES = [
  'received',
  'investigating',
  'township_review',
  'first_notice',
  'county_review',
  'second_notice',
  'granted',
  'rejected',
  'suspended',
  'withdrawn',
] as const;

export class ApplicationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn([...STATUSES], { message: `状态应为 ${STATUSES.join('、')} 之一` })
  status?: string;

  @ApiPropertyOptional({ enum: ['dibao', 'special_hardship'] })
  @IsOptional()
  @IsIn(['dibao', 'special_hardship'], { message: '类别应为 dibao 或 special_hardship' })
  program?: string;

  @ApiPropertyOptional({ example: '150802100201', description: '只列该村（社区）' })
  @IsOptional()
  @Matches(CODE, CODE_MESSAGE)
  villageCode?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true：只列有逾期环节的；false：只列未逾期的' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'overdue 应为 true 或 false' })
  overdue?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'true：只列涉及经办人员及近亲属的' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'staffRelative 应为 true 或 false' })
  staffRelative?: boolean;
}

export class DibaoMemberDto {
  @ApiProperty({ example: '王建国' })
  @Text('姓名', 50)
  name: string;

  @ApiProperty({ example: '150802195801011234', description: '18位居民身份证号码' })
  @IsResidentId()
  idNumber: string;

  @ApiProperty({ enum: ['applicant', 'spouse', 'child', 'parent', 'sibling', 'other'] })
  @IsIn(['applicant', 'spouse', 'child', 'parent', 'sibling', 'other'], { message: '与申请人关系取值有误' })
  relationship: 'applicant' | 'spouse' | 'child' | 'parent' | 'sibling' | 'other';

  @ApiPropertyOptional({ default: false, description: '持有残疾证' })
  @IsOptional()
  @IsBoolean({ message: 'disabled 应为 true 或 false' })
  disabled?: boolean;

  @ApiPropertyOptional({ default: false, description: '患重特大疾病' })
  @IsOptional()
  @IsBoolean({ message: 'seriousIllness 应为 true 或 false' })
  seriousIllness?: boolean;
}

export class IncomeDto {
  @ApiPropertyOptional({ description: '收入所属成员的身份证号码（家庭共有收入不填）' })
  @IsOptional()
  @IsResidentId()
  memberIdNumber?: string;

  @ApiProperty({ example: '种植收入' })
  @Text('收入来源', 100)
  source: string;

  @ApiProperty({ example: 600, description: '月收入（元）' })
  @IsNumber({ maxDecimalPlaces: 2 }, { message: '月收入应为金额（最多两位小数）' })
  @Min(0, { message: '月收入不能为负数' })
  @Max(1_000_000, { message: '月收入过大' })
  monthlyAmount: number;
}

export class AssetDto {
  @ApiProperty({ example: '耕地' })
  @Text('财产类别', 50)
  kind: string;

  @ApiProperty({ example: '承包地 5 亩' })
  @Text('财产说明', 200)
  description: string;

  @ApiPropertyOptional({ example: 20000, description: '估值（元）' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 }, { message: '估值应为金额' })
  @Min(0, { message: '估值不能为负数' })
  value?: number;
}

export class SpecialHardshipDto {
  @ApiProperty({ description: '无劳动能力' })
  @IsBoolean({ message: 'noWorkCapacity 应为 true 或 false' })
  noWorkCapacity: boolean;

  @ApiProperty({ description: '无生活来源' })
  @IsBoolean({ message: 'noIncomeSource 应为 true 或 false' })
  noIncomeSource: boolean;

  @ApiProperty({ description: '无法定赡养、抚养、扶养义务人，或其无履行义务能力' })
  @IsBoolean({ message: 'noSupporterAble 应为 true 或 false' })
  noSupporterAble: boolean;
}

export class InvestigationDto {
  @ApiProperty({ example: '2026-11-27', description: '入户调查日期' })
  @Matches(DAY, DAY_MESSAGE)
  date: string;

  @ApiProperty({ example: ['李春梅', '张桂兰'], description: '调查人员（不少于2名）' })
  @IsArray({ message: '调查人员应为列表' })
  @ArrayMinSize(1, { message: '须填写调查人员' })
  @ArrayMaxSize(10)
  @IsString({ each: true, message: '调查人员姓名应为文字' })
  @MaxLength(50, { each: true })
  investigators: string[];

  @ApiProperty({ example: ['王建国'], description: '在场的家庭成员（姓名）' })
  @IsArray({ message: '在场成员应为列表' })
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  membersPresent: string[];

  @ApiProperty({ type: [DibaoMemberDto], description: '共同生活的家庭成员' })
  @IsArray()
  @ArrayMinSize(1, { message: '须登记家庭成员' })
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => DibaoMemberDto)
  household: DibaoMemberDto[];

  @ApiProperty({ enum: ['urban', 'rural'], description: '适用城市或农村低保标准' })
  @IsIn(['urban', 'rural'], { message: 'area 应为 urban（城市）或 rural（农村）' })
  area: 'urban' | 'rural';

  @ApiProperty({ example: '土坯房两间，无大件家电' })
  @Text('居住和生活状况', 2000)
  livingConditions: string;

  @ApiProperty({ type: [IncomeDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => IncomeDto)
  incomes: IncomeDto[];

  @ApiProperty({ type: [AssetDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AssetDto)
  assets: AssetDto[];

  @ApiProperty({ description: '调查人员已签字确认' })
  @IsBoolean({ message: 'investigatorsConfirmed 应为 true 或 false' })
  investigatorsConfirmed: boolean;

  @ApiProperty({ description: '申请人已签字确认' })
  @IsBoolean({ message: 'applicantConfirmed 应为 true 或 false' })
  applicantConfirmed: boolean;

  @ApiPropertyOptional({ type: SpecialHardshipDto, description: '特困人员申请必填' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SpecialHardshipDto)
  specialHardship?: SpecialHardshipDto;
}

export class FindingDto {
  @ApiProperty({ example: '公安' })
  @Text('核对部门', 50)
  department: string;

  @ApiProperty({ example: '无机动车登记' })
  @Text('核对结果', 1000)
  findings: string;
}

export class VerificationDto {
  @ApiPropertyOptional({
    description:
      '平台上发起的家庭经济状况核对（POST /civil-affairs/verifications）：各部门回复自动列为核对结果',
  })
  @IsOptional()
  @IsUUID('all', { message: 'verificationId：应为核对编号（UUID）' })
  verificationId?: string;

  @ApiPropertyOptional({
    type: [FindingDto],
    description: '各部门核对结果（人工录入，或补充未接入平台部门的结果）；未给出 verificationId 时必填',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => FindingDto)
  findings: FindingDto[] = [];

  @ApiProperty({ example: '家庭收入和财产状况符合规定' })
  @Text('核对结论', 1000)
  conclusion: string;
}

export class DibaoAppraisalDto {
  @ApiProperty({ example: '2026-11-27' })
  @Matches(DAY, DAY_MESSAGE)
  date: string;

  @ApiProperty({ example: 12, description: '应到人数' })
  @IsInt({ message: '应到人数应为整数' })
  @Min(1, { message: '应到人数至少为1' })
  @Max(1000)
  participantsDue: number;

  @ApiProperty({ example: 10, description: '实到人数' })
  @IsInt({ message: '实到人数应为整数' })
  @Min(0)
  @Max(1000)
  attended: number;

  @ApiProperty({ example: 9, description: '同意人数' })
  @IsInt({ message: '同意人数应为整数' })
  @Min(0)
  @Max(1000)
  agreed: number;

  @ApiProperty({ description: '评议记录已由参加人员签字' })
  @IsBoolean({ message: 'signed 应为 true 或 false' })
  signed: boolean;

  @ApiProperty({ example: '村民代表会议评议，无异议' })
  @Text('评议记录', 2000)
  record: string;
}

export class DibaoReasonDto {
  @ApiProperty({ example: '需补充调查外出务工人员收入' })
  @Text('理由', 1000)
  reason: string;
}

export class DibaoReviewDto {
  @ApiProperty({ enum: ['approve', 'reject'], description: '同意保障 / 不同意保障' })
  @IsIn(['approve', 'reject'], { message: 'recommendation 应为 approve（同意）或 reject（不同意）' })
  recommendation: 'approve' | 'reject';

  @ApiProperty({ example: '经审核，符合农村低保条件' })
  @Text('意见', 2000)
  opinion: string;
}

export class DibaoNoteDto {
  @ApiProperty({ example: '已按规定备案' })
  @Text('说明', 2000)
  note: string;
}

export class SpotCheckDto {
  @ApiProperty({ example: '2026-12-01' })
  @Matches(DAY, DAY_MESSAGE)
  visitDate: string;

  @ApiProperty({ example: ['刘海燕', '赵敏'] })
  @IsArray()
  @ArrayMinSize(1, { message: '须填写核查人员' })
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  visitors: string[];

  @ApiProperty({ example: '入户核查，情况与调查记录一致' })
  @Text('核查情况', 2000)
  findings: string;

  @ApiProperty({ description: '核查证实了申请情况' })
  @IsBoolean({ message: 'confirmed 应为 true 或 false' })
  confirmed: boolean;
}

export class ObjectionDecisionDto {
  @ApiProperty({ enum: ['upheld', 'dismissed'], description: '异议成立 / 不成立' })
  @IsIn(['upheld', 'dismissed'], { message: 'result 应为 upheld（成立）或 dismissed（不成立）' })
  result: 'upheld' | 'dismissed';

  @ApiPropertyOptional({
    enum: ['township_review', 'rejection'],
    description: '异议成立时：退回乡镇（街道）重新审核，或不予保障',
  })
  @IsOptional()
  @IsIn(['township_review', 'rejection'], { message: 'next 应为 township_review 或 rejection' })
  next?: 'township_review' | 'rejection';

  @ApiProperty({ example: '经复核，异议不成立' })
  @Text('复核意见', 2000)
  opinion: string;
}

export class ApproveDto {
  @ApiProperty({ example: '同意纳入农村最低生活保障' })
  @Text('审批意见', 2000)
  opinion: string;
}

export class RejectDto {
  @ApiProperty({ example: ['家庭月人均收入高于当地低保标准'], description: '不予保障的理由' })
  @IsArray()
  @ArrayMinSize(1, { message: '须写明不予保障的理由' })
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  reasons: string[];

  @ApiProperty({ example: '经审查，不符合低保条件' })
  @Text('审批意见', 2000)
  opinion: string;
}

export class NoticeListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '150802100201' })
  @IsOptional()
  @Matches(CODE, CODE_MESSAGE)
  villageCode?: string;

  @ApiPropertyOptional({ enum: ['first', 'second'] })
  @IsOptional()
  @IsIn(['first', 'second'], { message: 'kind 应为 first 或 second' })
  kind?: string;
}

export class RecipientQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '150802100201' })
  @IsOptional()
  @Matches(CODE, CODE_MESSAGE)
  villageCode?: string;

  @ApiPropertyOptional({ example: '150802100000' })
  @IsOptional()
  @Matches(CODE, CODE_MESSAGE)
  townshipCode?: string;
}

export class PrintRecipientsQueryDto {
  @ApiProperty({ example: '150802100201', description: '村（社区）区划代码' })
  @Matches(CODE, CODE_MESSAGE)
  villageCode: string;
}

export class PublicObjectionDto {
  @ApiProperty({ description: '公示对象编号（公示名单中的 applicationId）' })
  @IsUUID('all', { message: '公示对象编号格式有误' })
  applicationId: string;

  @ApiProperty({ example: '申请人家中有营运车辆' })
  @Text('异议内容', 2000)
  content: string;

  @ApiPropertyOptional({ example: '13900000000', description: '联系方式（可不填）' })
  @IsOptional()
  @IsString({ message: '联系方式应为文字' })
  @MaxLength(100, { message: '联系方式不能超过100个字符' })
  contact?: string;
}

export class RecheckDto {
  @ApiProperty({ example: '2027-06-01', description: '复查日期' })
  @Matches(DAY, DAY_MESSAGE)
  date: string;

  @ApiProperty({ example: '入户复查，家庭人口和收入未变化' })
  @Text('复查情况', 2000)
  findings: string;

  @ApiProperty({
    enum: ['continue', 'changed', 'no_longer_eligible'],
    description: '继续保障 / 需变更 / 不再符合条件',
  })
  @IsIn(['continue', 'changed', 'no_longer_eligible'], {
    message: 'conclusion 应为 continue、changed 或 no_longer_eligible',
  })
  conclusion: 'continue' | 'changed' | 'no_longer_eligible';
}

export class SuspendDto {
  @ApiProperty({ example: ['家庭成员已稳定就业，月人均收入高于当地低保标准'], description: '停保理由' })
  @IsArray()
  @ArrayMinSize(1, { message: '须写明停保理由' })
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  reasons: string[];

  @ApiProperty({ example: '经复查核实，决定停止保障' })
  @Text('停保意见', 2000)
  opinion: string;
}

export class RosterQueryDto {
  @ApiPropertyOptional({
    example: '150802000000',
    description: '旗县区（审计人员必填；民政局人员为本旗县区）',
  })
  @IsOptional()
  @Matches(CODE, CODE_MESSAGE)
  countyCode?: string;

  @ApiPropertyOptional({ example: '按月发放', description: '查看目的（记入查看记录）' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  purpose?: string;
}

export class ChangeAllowanceDto {
  @ApiProperty({ type: [DibaoMemberDto], description: '现在共同生活的家庭成员' })
  @IsArray()
  @ArrayMinSize(1, { message: '须登记家庭成员' })
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => DibaoMemberDto)
  household: DibaoMemberDto[];

  @ApiProperty({ type: [IncomeDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => IncomeDto)
  incomes: IncomeDto[];

  @ApiProperty({ enum: ['urban', 'rural'] })
  @IsIn(['urban', 'rural'], { message: 'area 应为 urban（城市）或 rural（农村）' })
  area: 'urban' | 'rural';

  @ApiProperty({ example: '经复查，家庭人口减少，变更月保障金' })
  @Text('变更意见', 2000)
  opinion: string;
}
