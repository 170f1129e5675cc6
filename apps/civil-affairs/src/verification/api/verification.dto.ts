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
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { EXTERNAL_DEPARTMENTS } from '../domain/answer-file.js';

export class VerificationMemberDto {
  @ApiProperty({ example: '王建国' })
  @IsString()
  @MinLength(1, { message: 'members.name：姓名不能为空' })
  @MaxLength(50, { message: 'members.name：姓名不能超过50个字' })
  name: string;

  @ApiProperty({ example: '150802195801011234', description: '18位居民身份证号码' })
  @IsResidentId()
  idNumber: string;

  @ApiProperty({
    example: 'applicant',
    description: '与申请人关系：applicant、spouse、child、parent、sibling、other',
  })
  @IsIn(['applicant', 'spouse', 'child', 'parent', 'sibling', 'other'], {
    message: 'members.relationship：应为 applicant、spouse、child、parent、sibling、other 之一',
  })
  relationship: string;
}

export class AuthorisationDto {
  @ApiProperty({ example: 'SQ-2026-0001', description: '核对授权书编号' })
  @IsString()
  @MinLength(1, { message: 'authorisation.reference：授权书编号不能为空' })
  @MaxLength(60, { message: 'authorisation.reference：授权书编号不能超过60个字' })
  reference: string;

  @ApiProperty({ example: '2026-11-26', description: '家庭成员签署授权书的日期' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'authorisation.signedOn：日期格式应为 YYYY-MM-DD' })
  signedOn: string;
}

export class RequestVerificationDto {
  @ApiPropertyOptional({ description: '所服务的低保（特困）申请；给出时按申请确定所在村（社区）' })
  @IsOptional()
  @IsUUID('all', { message: 'applicationId：应为申请编号（UUID）' })
  applicationId?: string;

  @ApiPropertyOptional({ example: '150802100201', description: '未关联申请时：家庭所在村（社区）区划代码' })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'villageCode：应为 12 位区划代码' })
  villageCode?: string;

  @ApiProperty({ type: [VerificationMemberDto], description: '被核对的家庭成员（授权书上签字的人）' })
  @IsArray({ message: 'members：应为数组' })
  @ArrayMinSize(1, { message: 'members：须列出至少一名家庭成员' })
  @ArrayMaxSize(30, { message: 'members：不超过30人' })
  @ValidateNested({ each: true })
  @Type(() => VerificationMemberDto)
  members: VerificationMemberDto[];

  @ApiProperty({ type: AuthorisationDto, description: '核对授权书：没有授权不得核对' })
  @ValidateNested()
  @Type(() => AuthorisationDto)
  authorisation: AuthorisationDto;
}

const externals = Object.entries(EXTERNAL_DEPARTMENTS)
  .map(([k, v]) => `${k}（${v}）`)
  .join('、');

export class ImportAnswerDto {
  @ApiProperty({ enum: Object.keys(EXTERNAL_DEPARTMENTS), description: `未接入平台的部门：${externals}` })
  @IsIn(Object.keys(EXTERNAL_DEPARTMENTS), { message: `department：应为 ${externals} 之一` })
  department: string;

  @ApiProperty({
    description:
      '回复文件（CSV，UTF-8）：表头“身份证号码,项目,金额（元）,说明”，每行一项；只有表头表示无记录',
    example: '身份证号码,项目,金额（元）,说明\n150802195801011234,城镇住房,,临河区某小区 80㎡',
  })
  @IsString()
  @MaxLength(200_000, { message: 'file：文件过大（不超过 200,000 字符）' })
  file: string;
}

export class VerificationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: '只看某一申请的核对' })
  @IsOptional()
  @IsUUID('all', { message: 'applicationId：应为申请编号（UUID）' })
  applicationId?: string;

  @ApiPropertyOptional({ description: '只看尚有部门未回复的' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'pending：应为 true 或 false' })
  pending?: boolean;
}

export class ViewVerificationQueryDto {
  @ApiPropertyOptional({ description: '查看目的（记入个人信息查看记录）' })
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: 'purpose：不超过100个字' })
  purpose?: string;
}
