import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsResidentId } from '@platform/auth';
import { PageQueryDto } from '@platform/config';
import { ASSISTANCE_CATEGORIES } from '@platform/contracts';
import { REPORT_SOURCES, type ReportSource } from '../domain/case.decider.js';
import { normalizeQueryCode, QUERY_CODE_PATTERN } from '../domain/query-code.js';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsISO8601,
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

export class MemberDto {
  @ApiProperty({ example: '王小明' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  name: string;

  @ApiProperty({ example: '150802198001011234', description: '18位居民身份证号码（GB 11643-1999 校验）' })
  @IsResidentId()
  idNumber: string;

  @ApiProperty({ enum: ['applicant', 'spouse', 'child', 'parent', 'sibling', 'other'] })
  @IsIn(['applicant', 'spouse', 'child', 'parent', 'sibling', 'other'])
  relationship: 'applicant' | 'spouse' | 'child' | 'parent' | 'sibling' | 'other';

  @ApiPropertyOptional({ example: '13800000000' })
  @IsOptional()
  @Matches(/^1\d{10}$/, { message: '手机号码应为11位数字' })
  phone?: string;
}

export class NeedDto {
  @ApiProperty({ enum: ASSISTANCE_CATEGORIES })
  @IsIn([...ASSISTANCE_CATEGORIES])
  category: string;

  @ApiProperty({ example: '患尿毒症，需长期透析，自付费用高' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  description: string;

  @ApiPropertyOptional({ example: 20000, description: '申请金额（元），适用时填写' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(10_000_000)
  requestedAmount?: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['150802201001011236'],
    description:
      '该需求所涉家庭成员（如患者、学生）的身份证号码；经同意共享时随转办告知承办部门，申请人始终在内',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(/^\d{17}[\dX]$/, { each: true, message: '所涉成员身份证号码（memberIdNumbers）应为18位' })
  memberIdNumbers?: string[];
}

export class AcceptCaseDto {
  @ApiPropertyOptional({
    example: '0478-8123456',
    description: '受理窗口联系电话（手机或座机），随转办告知承办部门，便于联系',
  })
  @IsOptional()
  @Matches(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, {
    message: '联系电话（contactPhone）应为11位手机号或区号-座机号',
  })
  contactPhone?: string;
}

export class CallRecordDto {
  @ApiProperty({ example: '2026-11-27T01:30:00.000Z', description: '来电时间（ISO 8601）' })
  @IsISO8601({ strict: true }, { message: '来电时间（call.receivedAt）应为 ISO 8601 时间' })
  receivedAt: string;

  @ApiProperty({ example: '张女士', description: '来电人' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  callerName: string;

  @ApiProperty({ example: '13904780000', description: '回拨电话' })
  @Matches(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, {
    message: '回拨电话（call.callbackNumber）应为11位手机号或区号-座机号',
  })
  callbackNumber: string;

  @ApiProperty({ example: '邻居老人独居，三天未出门，家中断粮', description: '来电内容' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  summary: string;
}

export class ResultNoticeDto {
  @ApiProperty({
    description: '申请人同意接收各项救助事项的办理结果通知（短信发至申请人手机号；填写邮箱的同时发邮件）',
  })
  @IsBoolean()
  consent: boolean;

  @ApiPropertyOptional({ example: 'wang@example.com', description: '接收通知的电子邮箱' })
  @IsOptional()
  @IsEmail({}, { message: '通知邮箱（notify.email）格式不正确' })
  @MaxLength(100)
  email?: string;
}

export class OpenCaseDto {
  @ApiProperty({ enum: ['window', 'hotline', 'proactive_discovery'], description: '窗口 / 热线 / 主动发现' })
  @IsIn(['window', 'hotline', 'proactive_discovery'])
  channel: 'window' | 'hotline' | 'proactive_discovery';

  @ApiProperty({ example: '150802100201', description: '申请人户籍或居住地所在村（社区）的区划代码' })
  @Matches(/^\d{12}$/, { message: '村（社区）区划代码应为12位数字' })
  villageCode: string;

  @ApiProperty({ type: [MemberDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MemberDto)
  household: MemberDto[];

  @ApiProperty({ type: [NeedDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => NeedDto)
  needs: NeedDto[];

  @ApiPropertyOptional({ enum: ['normal', 'urgent'], default: 'normal' })
  @IsOptional()
  @IsIn(['normal', 'urgent'])
  urgency?: 'normal' | 'urgent';

  @ApiProperty({ description: '申请人是否同意向承办部门共享个人信息' })
  @IsBoolean()
  consentToShare: boolean;

  @ApiPropertyOptional({
    enum: REPORT_SOURCES,
    description:
      '发现报告来源：申请人本人、热线来电人、村委会、居委会、社工、志愿者、救助管理站、未成年人救助保护机构、医院、其他；不填时按渠道和登记人推定',
  })
  @IsOptional()
  @IsIn([...REPORT_SOURCES])
  source?: ReportSource;

  @ApiPropertyOptional({ example: '巴彦淖尔市医院', description: '报告单位（医院、救助管理站等）' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  organisation?: string;

  @ApiPropertyOptional({ type: CallRecordDto, description: '热线来电记录；热线渠道必填' })
  @ValidateIf((o: OpenCaseDto) => o.channel === 'hotline' || o.call !== undefined)
  @IsDefined({ message: '热线登记须填写来电记录（call）' })
  @ValidateNested()
  @Type(() => CallRecordDto)
  call?: CallRecordDto;

  @ApiPropertyOptional({
    description: '存在极端行为风险（如扬言轻生、伤人）：受理时同时上报同级政府（按上报规则表）',
  })
  @IsOptional()
  @IsBoolean()
  riskOfExtremeBehaviour?: boolean;

  @ApiPropertyOptional({ example: '当事人多次扬言轻生', description: '风险情况说明；标记极端行为风险时必填' })
  @ValidateIf((o: OpenCaseDto) => o.riskOfExtremeBehaviour === true || o.riskNote !== undefined)
  @IsString({ message: '标记极端行为风险时须说明情况（riskNote）' })
  @MinLength(1, { message: '标记极端行为风险时须说明情况（riskNote）' })
  @MaxLength(500)
  riskNote?: string;

  @ApiPropertyOptional({
    type: ResultNoticeDto,
    description: '办理结果通知：申请人同意后，各项事项办结时以短信/邮件告知',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResultNoticeDto)
  notify?: ResultNoticeDto;

  @ApiPropertyOptional({ description: '代为申请时，被代理人姓名（村委会、社工代办）' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  onBehalfOf?: string;

  @ApiPropertyOptional({ description: '已有同类在办案件时仍需登记的理由' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  duplicateOverrideReason?: string;
}

export class CaseListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['opened', 'accepted'] })
  @IsOptional()
  @IsIn(['opened', 'accepted'])
  status?: string;
}

export class RerouteDto {
  @ApiPropertyOptional({
    description: '改派的部门（如 civil-affairs）；不填且 reportToGovernment=true 时上报政府',
  })
  @IsOptional()
  @IsIn(['civil-affairs', 'health', 'housing', 'education'])
  department?: string;

  @ApiPropertyOptional({ description: '上报同级政府' })
  @IsOptional()
  @IsBoolean()
  reportToGovernment?: boolean;

  @ApiProperty({ description: '理由' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}

export class GovernmentResponseDto {
  @ApiProperty({ example: '由县政府协调民政、卫健部门给予临时救助和医疗救助', description: '政府的处理决定' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  decision: string;

  @ApiPropertyOptional({
    enum: ['civil-affairs', 'health', 'housing', 'education'],
    description: '政府确定的责任部门',
  })
  @IsOptional()
  @IsIn(['civil-affairs', 'health', 'housing', 'education'])
  responsibleDepartment?: string;

  @ApiPropertyOptional({ example: 5000, description: '政府决定给予的救助金额（元）' })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(10_000_000)
  amount?: number;

  @ApiPropertyOptional({ example: '民政局 12 月 5 日前回访', description: '后续跟进安排' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  followUp?: string;
}

export class GovernmentReportsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ['awaiting', 'overdue', 'responded'],
    description: '待回复 / 逾期未回复 / 已回复',
  })
  @IsOptional()
  @IsIn(['awaiting', 'overdue', 'responded'])
  status?: 'awaiting' | 'overdue' | 'responded';
}

export class RevokeDto {
  @ApiProperty({ description: '撤回理由' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}

export class ExternalOutcomeDto {
  @ApiProperty({ enum: ['granted', 'not_eligible'] })
  @IsIn(['granted', 'not_eligible'])
  outcome: 'granted' | 'not_eligible';

  @ApiProperty({ description: '办理结果说明' })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  note: string;
}

export class ProgressQueryDto {
  @ApiProperty({ example: '150802-2026-000001' })
  @Matches(/^\d{6}-\d{4}-\d{6}$/, { message: '案件编号格式应为 150802-2026-000001' })
  caseNumber: string;

  @ApiProperty({
    example: 'K7M4Q-X9TNP',
    description: '受理通知书上的查询码：10 位字母数字（可含连字符，不区分大小写）；此前受理的案件为 6 位数字',
  })
  @Transform(({ value }) => (typeof value === 'string' ? normalizeQueryCode(value) : value))
  @IsString({ message: '查询码应为文字' })
  @Matches(QUERY_CODE_PATTERN, {
    message: '查询码应为受理通知书上的 10 位字母数字（此前受理的案件为 6 位数字）',
  })
  queryCode: string;
}

export { PageQueryDto };

export class OnCallQueryDto {
  @ApiPropertyOptional({ example: '150802000000', description: '旗县区区划代码；不填为本人所在旗县区' })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: '旗县区区划代码（countyCode）应为12位数字' })
  countyCode?: string;
}

export class ReissueQueryCodeDto {
  @ApiProperty({ example: '申请人遗失受理通知书', description: '重新生成的原因（记入案件）' })
  @IsString({ message: 'reason 应为文字' })
  @Matches(/\S/, { message: '请说明重新生成查询码的原因（reason）' })
  @MaxLength(200, { message: '原因（reason）不超过 200 字' })
  reason: string;
}
