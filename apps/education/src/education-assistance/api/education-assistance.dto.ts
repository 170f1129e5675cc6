import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RegisterListQueryDto, RegisterLookupDto } from '@platform/assistance-register';
import { IsResidentId } from '@platform/auth';
import { PageQueryDto } from '@platform/config';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
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
import {
  LEAVING_NAMES,
  PROGRAMME_NAMES,
  STAGE_NAMES,
  TERM_NAMES,
  type LeavingReason,
  type Programme,
  type Stage,
  type Term,
  type UniversityLocation,
} from '../domain/education-assistance.decider.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^\d{12}$/;
const list = (names: Record<string, string>) =>
  Object.entries(names)
    .map(([k, v]) => `${k}（${v}）`)
    .join('、');
const STAGES = Object.keys(STAGE_NAMES) as Stage[];
const PROGRAMMES = Object.keys(PROGRAMME_NAMES) as Programme[];
const TERMS = Object.keys(TERM_NAMES) as Term[];
const REASONS = Object.keys(LEAVING_NAMES) as LeavingReason[];
const LOCATIONS: UniversityLocation[] = ['within_region', 'outside_region'];

export class StudentDto {
  @ApiProperty({ example: '150802201005051238', description: '学生身份证号码' })
  @IsResidentId()
  idNumber: string;

  @ApiProperty({ example: '王小明', description: '学生姓名' })
  @IsString({ message: '学生姓名应为文字' })
  @MinLength(1, { message: '学生姓名不能为空' })
  @MaxLength(50, { message: '学生姓名不能超过50个字' })
  name: string;
}

export class SchoolDto {
  @ApiProperty({ example: '2150802001', description: '学校标识码' })
  @IsString({ message: '学校代码应为文字' })
  @MinLength(1, { message: '学校代码不能为空' })
  @MaxLength(20, { message: '学校代码不能超过20个字' })
  code: string;

  @ApiProperty({ example: '临河区第八中学', description: '学校名称' })
  @IsString({ message: '学校名称应为文字' })
  @MinLength(1, { message: '学校名称不能为空' })
  @MaxLength(100, { message: '学校名称不能超过100个字' })
  name: string;

  @ApiProperty({
    example: '150802001000',
    description: '学校所在地区划代码（旗县区、乡镇（街道）或村（社区））',
  })
  @Matches(CODE, { message: '学校所在地区划代码应为12位数字' })
  jurisdictionCode: string;
}

export class RecordEnrolmentDto {
  @ApiProperty({ type: StudentDto })
  @ValidateNested()
  @Type(() => StudentDto)
  student: StudentDto;

  @ApiPropertyOptional({ example: '150802197805051234', description: '户主身份证号码（户口簿）' })
  @IsOptional()
  @IsResidentId()
  householdHeadIdNumber?: string;

  @ApiProperty({ enum: STAGES, description: `学段：${list(STAGE_NAMES)}` })
  @IsIn(STAGES, { message: `学段应为 ${list(STAGE_NAMES)} 之一` })
  stage: Stage;

  @ApiProperty({ type: SchoolDto })
  @ValidateNested()
  @Type(() => SchoolDto)
  school: SchoolDto;

  @ApiProperty({ description: '是否寄宿' })
  @IsBoolean({ message: '是否寄宿应为 true 或 false' })
  boarder: boolean;

  @ApiProperty({ example: '2026-09-01', description: '入学（学籍变动）日期' })
  @Matches(DAY, { message: '入学日期格式应为 YYYY-MM-DD' })
  from: string;
}

export class LeavingDto {
  @ApiProperty({ example: '2026-01-20', description: '离校日期（不再在校的第一天）' })
  @Matches(DAY, { message: '离校日期格式应为 YYYY-MM-DD' })
  leftOn: string;

  @ApiProperty({ enum: REASONS, description: `离校原因：${list(LEAVING_NAMES)}` })
  @IsIn(REASONS, { message: `离校原因应为 ${list(LEAVING_NAMES)} 之一` })
  reason: LeavingReason;

  @ApiPropertyOptional({ example: '随父母外出务工', description: '说明' })
  @IsOptional()
  @IsString()
  @MaxLength(500, { message: '说明不能超过500个字' })
  note?: string;
}

export class GrantAidDto {
  @ApiProperty({ enum: PROGRAMMES, description: `资助项目：${list(PROGRAMME_NAMES)}` })
  @IsIn(PROGRAMMES, { message: `资助项目应为 ${list(PROGRAMME_NAMES)} 之一` })
  programme: Programme;

  @ApiProperty({ example: 2026, description: '学年（秋季学期开始的年份，2026 表示 2026—2027 学年）' })
  @Type(() => Number)
  @IsInt({ message: '学年应为整数年份' })
  @Min(2000, { message: '学年不能早于2000年' })
  @Max(2100, { message: '学年不能晚于2100年' })
  schoolYear: number;

  @ApiProperty({ example: '临教助〔2026〕15号', description: '资助文号' })
  @IsString({ message: '资助文号应为文字' })
  @MinLength(1, { message: '资助文号不能为空' })
  @MaxLength(60, { message: '资助文号不能超过60个字' })
  documentNumber: string;

  @ApiPropertyOptional({
    enum: LOCATIONS,
    description: '大学新生入学资助：录取院校在区内（within_region）或区外（outside_region）',
  })
  @ValidateIf(
    (o: GrantAidDto) => o.programme === 'university_entrance_aid' || o.universityLocation !== undefined,
  )
  @IsIn(LOCATIONS, { message: '录取院校所在地应为 within_region（区内）或 outside_region（区外）' })
  universityLocation?: UniversityLocation;
}

export class DisburseTermDto {
  @ApiProperty({ enum: TERMS, description: `学期：${list(TERM_NAMES)}` })
  @IsIn(TERMS, { message: `学期应为 ${list(TERM_NAMES)} 之一` })
  term: Term;

  @ApiProperty({ example: 'FF-2026-autumn-015', description: '发放凭证号' })
  @IsString({ message: '发放凭证号应为文字' })
  @MinLength(1, { message: '发放凭证号不能为空' })
  @MaxLength(60, { message: '发放凭证号不能超过60个字' })
  paymentReference: string;

  @ApiProperty({ example: '2026-10-10', description: '发放日期' })
  @Matches(DAY, { message: '发放日期格式应为 YYYY-MM-DD' })
  paidOn: string;
}

export class EducationViewQueryDto {
  @ApiPropertyOptional({ description: '查看目的（记入个人信息查看记录）', example: '资助发放核对' })
  @IsOptional()
  @IsString()
  @MaxLength(200, { message: '查看目的不能超过200个字' })
  purpose?: string;
}

/** The education register's own filters. */
class EducationRegisterFilters extends PageQueryDto {
  @ApiPropertyOptional({ enum: PROGRAMMES, description: `资助项目：${list(PROGRAMME_NAMES)}` })
  @IsOptional()
  @IsIn(PROGRAMMES, { message: `资助项目应为 ${list(PROGRAMME_NAMES)} 之一` })
  programme?: Programme;

  @ApiPropertyOptional({ example: 2026, description: '学年' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '学年应为整数年份' })
  @Min(2000, { message: '学年不能早于2000年' })
  @Max(2100, { message: '学年不能晚于2100年' })
  schoolYear?: number;
}

export class EducationRegisterListQueryDto extends RegisterListQueryDto(EducationRegisterFilters, {
  jurisdiction: '学校在该区划（含下级）内',
  jurisdictionExample: '150802000000',
  from: '发放日期起（含）',
  to: '发放日期止（含）',
}) {}

/** 台账查询 by a household's members (the body the departments' registers share). */
export class EducationRegisterLookupDto extends RegisterLookupDto {}

const STUDENT_STATUS_NAMES = { at_school: '在校', left: '已离校' } as const;

/** The education officers' list of students. */
export class StudentListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: Object.keys(STUDENT_STATUS_NAMES), description: list(STUDENT_STATUS_NAMES) })
  @IsOptional()
  @IsIn(Object.keys(STUDENT_STATUS_NAMES), { message: `状态应为 ${list(STUDENT_STATUS_NAMES)} 之一` })
  status?: 'at_school' | 'left';

  @ApiPropertyOptional({ description: 'true：只列有已开学未发放学期的学生' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: '待发放应为 true 或 false' })
  due?: boolean;

  @ApiPropertyOptional({ example: '韩', description: '学生姓名（部分）或完整身份证号码' })
  @IsOptional()
  @IsString({ message: '学生应为文字' })
  @MaxLength(30, { message: '学生姓名或身份证号码不能超过30个字' })
  student?: string;

  @ApiPropertyOptional({ example: '150802000000', description: '学校在该区划（含下级）内' })
  @IsOptional()
  @Matches(CODE, { message: '区划代码应为12位数字' })
  jurisdictionCode?: string;
}
