import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@platform/config';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  COORDINATION_DEPARTMENTS,
  COORDINATION_STATUS_NAMES,
  departmentName,
  MAX_DECISIONS_PER_MEETING,
  type CoordinationStatus,
} from '../domain/coordination.decider.js';

const departmentList = COORDINATION_DEPARTMENTS.map((d) => `${d}（${departmentName(d)}）`).join('、');
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class CoordinationOpenItemDto {
  @ApiProperty({ example: '0190a4c4-0000-7000-8000-000000000001', description: '案件 ID（一门受理案件）' })
  @IsUUID('all', { message: '案件 ID 应为 UUID' })
  caseId: string;

  @ApiProperty({ example: 'LH-2026-000123', description: '案件编号' })
  @IsString({ message: '案件编号应为文字' })
  @MinLength(1, { message: '案件编号不能为空' })
  @MaxLength(100, { message: '案件编号不能超过100个字' })
  caseNumber: string;

  @ApiProperty({
    example: '患儿白血病治疗费用缺口 20 万元，家庭住房为危房，需多部门联合解决',
    description: '需要协调解决的事项',
  })
  @IsString({ message: '需要协调解决的事项应为文字' })
  @MinLength(1, { message: '需要协调解决的事项不能为空' })
  @MaxLength(5000, { message: '需要协调解决的事项不能超过5000个字' })
  need: string;

  @ApiProperty({
    enum: [...COORDINATION_DEPARTMENTS],
    isArray: true,
    description: `请求参与的部门：${departmentList}`,
  })
  @IsArray({ message: '参与部门应为数组' })
  @ArrayMinSize(1, { message: '至少请求一个部门参与' })
  @ArrayMaxSize(COORDINATION_DEPARTMENTS.length, { message: '部门重复' })
  @IsIn([...COORDINATION_DEPARTMENTS], {
    each: true,
    message: `部门应为 ${departmentList} 之一`,
  })
  departments: string[];

  @ApiProperty({ example: '150802100201', description: '家庭所在村（社区）的区划代码' })
  @Matches(/^\d{12}$/, { message: '村（社区）区划代码应为12位数字' })
  villageCode: string;
}

export class CoordinationDecisionInputDto {
  @ApiProperty({ example: '为患儿申请医疗救助和疾病应急救助，落实二次救助', description: '议定事项内容' })
  @IsString({ message: '议定事项内容应为文字' })
  @MinLength(1, { message: '议定事项内容不能为空' })
  @MaxLength(5000, { message: '议定事项内容不能超过5000个字' })
  text: string;

  @ApiProperty({ enum: [...COORDINATION_DEPARTMENTS], description: `责任部门：${departmentList}` })
  @IsIn([...COORDINATION_DEPARTMENTS], {
    message: `责任部门应为 ${departmentList} 之一`,
  })
  ownerDepartment: string;

  @ApiProperty({ example: '2026-12-15', description: '办理期限（YYYY-MM-DD，北京时间，当日内办结不算逾期）' })
  @Matches(DAY, { message: '办理期限格式应为 YYYY-MM-DD' })
  dueOn: string;
}

export class CoordinationMeetingDto {
  @ApiProperty({ example: '2026-11-27', description: '会议日期（YYYY-MM-DD）' })
  @Matches(DAY, { message: '会议日期格式应为 YYYY-MM-DD' })
  heldOn: string;

  @ApiProperty({ enum: [...COORDINATION_DEPARTMENTS], isArray: true, description: '参会部门' })
  @IsArray({ message: '参会部门应为数组' })
  @ArrayMinSize(1, { message: '至少一个参会部门' })
  @IsIn([...COORDINATION_DEPARTMENTS], {
    each: true,
    message: `部门应为 ${departmentList} 之一`,
  })
  departments: string[];

  @ApiProperty({ example: '会议研究了该户情况，议定如下……', description: '会议纪要' })
  @IsString({ message: '会议纪要应为文字' })
  @MinLength(1, { message: '会议纪要不能为空' })
  @MaxLength(20000, { message: '会议纪要不能超过20000个字' })
  minutes: string;

  @ApiProperty({ type: [CoordinationDecisionInputDto], description: '议定事项（责任部门、办理期限）' })
  @IsArray({ message: '议定事项应为数组' })
  @ArrayMaxSize(MAX_DECISIONS_PER_MEETING, {
    message: `一次会议最多 ${MAX_DECISIONS_PER_MEETING} 项议定事项`,
  })
  @ValidateNested({ each: true })
  @Type(() => CoordinationDecisionInputDto)
  decisions: CoordinationDecisionInputDto[];
}

export class CoordinationFollowUpDto {
  @ApiProperty({ example: '已电话联系住建部门，危房改造已列入计划', description: '跟进情况' })
  @IsString({ message: '跟进情况应为文字' })
  @MinLength(1, { message: '跟进情况不能为空' })
  @MaxLength(5000, { message: '跟进情况不能超过5000个字' })
  note: string;
}

export class CoordinationDecisionDoneDto {
  @ApiProperty({ example: '已落实医疗救助 3.2 万元', description: '办理结果' })
  @IsString({ message: '办理结果应为文字' })
  @MinLength(1, { message: '办理结果不能为空' })
  @MaxLength(5000, { message: '办理结果不能超过5000个字' })
  result: string;
}

export class CoordinationCloseDto {
  @ApiPropertyOptional({
    example: '家庭已迁出本旗县区，转迁入地处理',
    description: '办结理由：议定事项全部办结时可不填；尚有未办结事项时必须说明',
  })
  @IsOptional()
  @IsString({ message: '办结理由应为文字' })
  @MaxLength(5000, { message: '办结理由不能超过5000个字' })
  reason?: string;
}

const statuses = Object.keys(COORDINATION_STATUS_NAMES).filter((s) => s !== 'none') as CoordinationStatus[];

export class CoordinationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: statuses, description: '按状态筛选：open（协调中）、closed（已办结）' })
  @IsOptional()
  @IsIn(statuses, { message: `状态应为 ${statuses.join('、')} 之一` })
  status?: CoordinationStatus;
}
