import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsResidentId } from '@platform/auth';
import { PageQueryDto } from '@platform/config';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  MAX_RELATIVES,
  RELATIONSHIP_NAMES,
  RELATIONSHIPS,
  STAFF_KIND_NAMES,
  STAFF_KINDS,
  type Relationship,
  type StaffKind,
} from '../domain/staff-filing.decider.js';

const relationshipList = RELATIONSHIPS.map((r) => `${r}（${RELATIONSHIP_NAMES[r]}）`).join('、');
const kindList = STAFF_KINDS.map((k) => `${k}（${STAFF_KIND_NAMES[k]}）`).join('、');

export class StaffMemberDto {
  @ApiProperty({ example: '李建国' })
  @IsString()
  @MinLength(1, { message: '姓名不能为空' })
  @MaxLength(50, { message: '姓名不能超过50个字' })
  name: string;

  @ApiProperty({ example: '150802198001010012', description: '18位居民身份证号码（GB 11643-1999 校验）' })
  @IsResidentId()
  idNumber: string;

  @ApiProperty({ enum: [...STAFF_KINDS], description: `备案对象：${kindList}` })
  @IsIn([...STAFF_KINDS], { message: `备案对象应为 ${kindList} 之一` })
  kind: StaffKind;

  @ApiProperty({ example: '低保专干', description: '职务' })
  @IsString()
  @MinLength(1, { message: '职务不能为空' })
  @MaxLength(100, { message: '职务不能超过100个字' })
  position: string;

  @ApiProperty({ example: '双河镇人民政府', description: '工作单位' })
  @IsString()
  @MinLength(1, { message: '工作单位不能为空' })
  @MaxLength(100, { message: '工作单位不能超过100个字' })
  organisation: string;

  @ApiProperty({
    example: '150802100000',
    description: '任职地的区划代码：经办人员为市、旗县区或乡镇（街道），村（居）委会干部为村（社区）',
  })
  @Matches(/^\d{12}$/, { message: '任职地区划代码应为12位数字' })
  jurisdictionCode: string;
}

export class RelativeDto {
  @ApiProperty({ example: '王秀英' })
  @IsString()
  @MinLength(1, { message: '近亲属姓名不能为空' })
  @MaxLength(50, { message: '近亲属姓名不能超过50个字' })
  name: string;

  @ApiProperty({ example: '150802198203040025', description: '18位居民身份证号码（GB 11643-1999 校验）' })
  @IsResidentId()
  idNumber: string;

  @ApiProperty({ enum: [...RELATIONSHIPS], description: `与备案人的关系：${relationshipList}` })
  @IsIn([...RELATIONSHIPS], { message: `与备案人的关系应为 ${relationshipList} 之一` })
  relationship: Relationship;
}

export class FileStaffMemberDto {
  @ApiProperty({ type: StaffMemberDto, description: '备案人（经办人员或村（居）委会干部）' })
  @ValidateNested()
  @Type(() => StaffMemberDto)
  staff: StaffMemberDto;

  @ApiProperty({ type: [RelativeDto], description: '近亲属（可为空）' })
  @IsArray({ message: '近亲属应为数组' })
  @ArrayMaxSize(MAX_RELATIVES, { message: `一份备案最多登记 ${MAX_RELATIVES} 名近亲属` })
  @ValidateNested({ each: true })
  @Type(() => RelativeDto)
  relatives: RelativeDto[];
}

export class AmendRelativesDto {
  @ApiPropertyOptional({ type: [RelativeDto], description: '增加的近亲属' })
  @IsOptional()
  @IsArray({ message: '增加的近亲属应为数组' })
  @ArrayMaxSize(MAX_RELATIVES, { message: `一次最多增加 ${MAX_RELATIVES} 名近亲属` })
  @ValidateNested({ each: true })
  @Type(() => RelativeDto)
  add?: RelativeDto[];

  @ApiPropertyOptional({ type: [String], description: '删除的近亲属的身份证号码' })
  @IsOptional()
  @IsArray({ message: '删除的近亲属应为身份证号码数组' })
  @ArrayMaxSize(MAX_RELATIVES, { message: `一次最多删除 ${MAX_RELATIVES} 名近亲属` })
  @Matches(/^\d{17}[\dXx]$/, { each: true, message: '删除的近亲属应以18位身份证号码表示' })
  remove?: string[];

  @ApiProperty({ example: '补报配偶的父母', description: '变更理由' })
  @IsString()
  @MinLength(1, { message: '变更理由不能为空' })
  @MaxLength(1000, { message: '变更理由不能超过1000个字' })
  reason: string;
}

export class RetireFilingDto {
  @ApiProperty({ example: '调离社会救助岗位', description: '注销理由' })
  @IsString()
  @MinLength(1, { message: '注销理由不能为空' })
  @MaxLength(1000, { message: '注销理由不能超过1000个字' })
  reason: string;

  @ApiProperty({ example: '2026-11-20', description: '离岗日期（YYYY-MM-DD）' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '离岗日期格式应为 YYYY-MM-DD' })
  leftOn: string;
}

export class StaffFilingListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: '工作单位（包含该文字）' })
  @IsOptional()
  @IsString()
  @MaxLength(100, { message: '工作单位不能超过100个字' })
  organisation?: string;

  @ApiPropertyOptional({ example: '150802100000', description: '任职地在该区划（含下级）内' })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: '区划代码应为12位数字' })
  jurisdictionCode?: string;

  @ApiPropertyOptional({ description: 'true：在册；false：已注销' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active 应为 true 或 false' })
  active?: boolean;

  @ApiPropertyOptional({ enum: [...STAFF_KINDS], description: `备案对象：${kindList}` })
  @IsOptional()
  @IsIn([...STAFF_KINDS], { message: `备案对象应为 ${kindList} 之一` })
  kind?: StaffKind;

  @ApiPropertyOptional({ description: '姓名（备案人或近亲属，包含该文字）' })
  @IsOptional()
  @IsString()
  @MaxLength(50, { message: '姓名不能超过50个字' })
  name?: string;
}

export class ViewFilingQueryDto {
  @ApiPropertyOptional({ description: '查看目的（记入个人信息查看记录）', example: '低保申请核查' })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: '查看目的不能超过200个字' })
  purpose?: string;
}
