import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsResidentId } from '@platform/auth';
import { PageQueryDto } from '@platform/config';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  AREAS,
  HARDSHIP_KIND_NAMES,
  HARDSHIP_KINDS,
  MAX_MEMBERS,
  OBLIGATION_STATUS_NAMES,
  PAYMENT_METHODS,
  STATUS_NAMES,
  URGENCIES,
  type Area,
  type HardshipKind,
  type ObligationStatus,
  type PaymentMethod,
  type Status,
  type Urgency,
} from '../domain/temporary-assistance.decider.js';

const kindList = HARDSHIP_KINDS.map((k) => `${k}（${HARDSHIP_KIND_NAMES[k]}）`).join('、');
const amount = { maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false };

export class MemberDto {
  @ApiProperty({ example: '王建国' })
  @IsString({ message: '姓名应为文字' })
  @MinLength(1, { message: '姓名不能为空' })
  @MaxLength(50, { message: '姓名不能超过50个字' })
  name: string;

  @ApiProperty({ example: '150802195001011234', description: '18位居民身份证号码（GB 11643-1999 校验）' })
  @IsResidentId()
  idNumber: string;
}

export class HardshipDto {
  @ApiProperty({ enum: [...HARDSHIP_KINDS], description: `困难类型：${kindList}` })
  @IsIn([...HARDSHIP_KINDS], { message: `困难类型应为 ${kindList} 之一` })
  kind: HardshipKind;

  @ApiProperty({
    example: '户主突发脑梗住院，家庭无力支付医疗费用后的基本生活开支',
    description: '困难情况说明',
  })
  @IsString({ message: '困难情况说明应为文字' })
  @MinLength(1, { message: '困难情况说明不能为空' })
  @MaxLength(2000, { message: '困难情况说明不能超过2000个字' })
  description: string;
}

export class RecordApplicationDto {
  @ApiProperty({ type: [MemberDto], description: '家庭成员，第一名为申请人' })
  @IsArray({ message: '家庭成员应为数组' })
  @ArrayMinSize(1, { message: '至少登记一名家庭成员（第一名为申请人）' })
  @ArrayMaxSize(MAX_MEMBERS, { message: `家庭成员最多登记 ${MAX_MEMBERS} 人` })
  @ValidateNested({ each: true })
  @Type(() => MemberDto)
  members: MemberDto[];

  @ApiProperty({ type: HardshipDto, description: '困难情况' })
  @IsDefined({ message: '困难情况不能为空' })
  @ValidateNested()
  @Type(() => HardshipDto)
  hardship: HardshipDto;

  @ApiProperty({ example: 3000, description: '申请金额（元，最多两位小数）' })
  @IsNumber(amount, { message: '申请金额应为数字（元，最多两位小数）' })
  @IsPositive({ message: '申请金额应大于 0' })
  requestedAmount: number;

  @ApiProperty({
    enum: [...AREAS],
    description: '户籍类别：urban（城市）、rural（农村），决定适用的低保标准',
  })
  @IsIn([...AREAS], { message: '户籍类别应为 urban（城市）或 rural（农村）' })
  area: Area;

  @ApiProperty({ example: '150802100201', description: '家庭所在村（社区）的区划代码' })
  @Matches(/^\d{12}$/, { message: '村（社区）区划代码应为12位数字' })
  villageCode: string;

  @ApiPropertyOptional({
    enum: [...URGENCIES],
    description: '紧急程度：normal（普通，默认）、urgent（紧急，救急难绿色通道：可先行救助、后补材料）',
  })
  @IsOptional()
  @IsIn([...URGENCIES], { message: '紧急程度应为 normal（普通）或 urgent（紧急，救急难）' })
  urgency?: Urgency;
}

export class GrantDto {
  @ApiProperty({ example: 2000, description: '给予金额（元，最多两位小数）' })
  @IsNumber(amount, { message: '给予金额应为数字（元，最多两位小数）' })
  @IsPositive({ message: '给予金额应大于 0' })
  amount: number;

  @ApiPropertyOptional({ example: '情况属实，同意给予临时救助', description: '审批意见' })
  @IsOptional()
  @IsString({ message: '审批意见应为文字' })
  @MaxLength(2000, { message: '审批意见不能超过2000个字' })
  opinion?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['相关费用票据'],
    description:
      '尚缺的材料（仅紧急申请，绿色通道先行救助）：须是材料清单中临时救助所需的材料，每项成为一项补充材料义务',
  })
  @IsOptional()
  @IsArray({ message: '尚缺的材料应为材料名称的列表' })
  @ArrayMaxSize(30, { message: '尚缺的材料最多 30 项' })
  @IsString({ each: true, message: '尚缺的材料应为材料名称' })
  @MinLength(1, { each: true, message: '材料名称不能为空' })
  @MaxLength(100, { each: true, message: '材料名称不能超过100个字' })
  missingMaterials?: string[];
}

export class WaiveDto {
  @ApiProperty({ example: '申请人因灾户籍资料灭失，经核实情况属实，免予提交', description: '免除理由' })
  @IsString({ message: '免除理由应为文字' })
  @MinLength(1, { message: '免除理由不能为空' })
  @MaxLength(2000, { message: '免除理由不能超过2000个字' })
  reason: string;
}

export class RefuseDto {
  @ApiProperty({ example: '家庭人均收入高于当地低保标准，且未遭遇突发困难', description: '不予救助的理由' })
  @IsString({ message: '不予救助的理由应为文字' })
  @MinLength(1, { message: '不予救助的理由不能为空' })
  @MaxLength(2000, { message: '不予救助的理由不能超过2000个字' })
  reasons: string;
}

export class SubmitDto {
  @ApiProperty({ example: 5000, description: '乡镇建议金额（元），须超出乡镇审批权限' })
  @IsNumber(amount, { message: '建议金额应为数字（元，最多两位小数）' })
  @IsPositive({ message: '建议金额应大于 0' })
  proposedAmount: number;

  @ApiProperty({
    example: '经入户核实情况属实，所需金额超出乡镇审批权限，建议给予 5000 元',
    description: '乡镇审核意见',
  })
  @IsString({ message: '乡镇审核意见应为文字' })
  @MinLength(1, { message: '乡镇审核意见不能为空' })
  @MaxLength(2000, { message: '乡镇审核意见不能超过2000个字' })
  opinion: string;
}

export class PaymentDto {
  @ApiProperty({ example: '2026-11-27', description: '发放日期（YYYY-MM-DD）' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '发放日期格式应为 YYYY-MM-DD' })
  paidOn: string;

  @ApiProperty({
    enum: [...PAYMENT_METHODS],
    description: '发放方式：cash（现金）、bank_transfer（银行转账）',
  })
  @IsIn([...PAYMENT_METHODS], { message: '发放方式应为 cash（现金）或 bank_transfer（银行转账）' })
  method: PaymentMethod;
}

const statuses = Object.keys(STATUS_NAMES).filter((s) => s !== 'none') as Status[];

export class TemporaryAssistanceListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: statuses, description: '按状态筛选' })
  @IsOptional()
  @IsIn(statuses, { message: `状态应为 ${statuses.join('、')} 之一` })
  status?: Status;

  @ApiPropertyOptional({
    enum: [...URGENCIES],
    description: '按紧急程度筛选：normal（普通）、urgent（紧急，救急难）',
  })
  @IsOptional()
  @IsIn([...URGENCIES], { message: '紧急程度应为 normal（普通）或 urgent（紧急，救急难）' })
  urgency?: Urgency;
}

export class ViewQueryDto {
  @ApiPropertyOptional({ description: '查看目的（记入个人信息查看记录）' })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: '查看目的不能超过200个字' })
  purpose?: string;
}

const obligationStatuses = Object.keys(OBLIGATION_STATUS_NAMES) as ObligationStatus[];

export class ObligationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: obligationStatuses,
    description: '按状态筛选：open（待补充）、fulfilled（已补充）、waived（已免除）、overdue（逾期未补充）',
  })
  @IsOptional()
  @IsIn(obligationStatuses, { message: `状态应为 ${obligationStatuses.join('、')} 之一` })
  status?: ObligationStatus;
}
