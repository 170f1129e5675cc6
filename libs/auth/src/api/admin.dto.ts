import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@platform/config';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ROLES, type Role } from '../domain/roles.js';
import { DEPARTMENT_NAMES_ZH } from '../domain/user-rules.js';

const CODE = /^\d{12}$/;
const CODE_MESSAGE = '区划代码应为12位数字（统计用区划代码）';
const ROLE_MESSAGE = `角色应为 ${ROLES.join('、')} 之一`;
const DEPARTMENTS = Object.keys(DEPARTMENT_NAMES_ZH);
const DEPARTMENT_MESSAGE = `部门应为 ${DEPARTMENTS.join('、')} 之一`;
const PASSWORD_TYPE = { message: '密码应为字符串' };
const PASSWORD_MAX = { message: '密码不能超过200个字符' };

/** An address as typed (spaces around it, an empty field meaning none). */
const trimEmail = ({ value }: { value: unknown }) => {
  const v = typeof value === 'string' ? value.trim() : value;
  return v === '' ? null : v;
};

export class CreateUserDto {
  @ApiProperty({
    example: 'wuyuan.window2',
    description: '登录用户名：3至50位小写字母、数字、点、下划线或连字符，以字母或数字开头',
  })
  @Matches(/^[a-z0-9][a-z0-9._-]{2,49}$/, {
    message: '用户名应为3至50位小写字母、数字、点、下划线或连字符，以字母或数字开头',
  })
  username: string;

  @ApiProperty({ example: '王建华', description: '姓名' })
  @IsString({ message: '姓名应为字符串' })
  @MinLength(1, { message: '姓名不能为空' })
  @MaxLength(50, { message: '姓名不能超过50个字符' })
  name: string;

  @ApiProperty({ enum: ROLES, example: 'township_officer' })
  @IsIn([...ROLES], { message: ROLE_MESSAGE })
  role: Role;

  @ApiProperty({ example: '150821100000', description: '辖区的12位统计用区划代码' })
  @Matches(CODE, { message: CODE_MESSAGE })
  jurisdiction: string;

  @ApiPropertyOptional({ enum: DEPARTMENTS, description: '部门；不填则按角色确定' })
  @IsOptional()
  @IsIn(DEPARTMENTS, { message: DEPARTMENT_MESSAGE })
  department?: string;

  @ApiPropertyOptional({ example: '临河区阳光社会工作服务中心', description: '所属组织（社会力量）' })
  @IsOptional()
  @IsString({ message: '组织名称应为字符串' })
  @MaxLength(100, { message: '组织名称不能超过100个字符' })
  organisation?: string;

  @ApiProperty({
    example: 'Chushi#Mima2026',
    description:
      '初始密码：至少10个字符，含大写字母、小写字母、数字、符号中的三类，不含用户名，不是常见密码。用户首次登录后须修改。',
  })
  @IsString(PASSWORD_TYPE)
  @MaxLength(200, PASSWORD_MAX)
  initialPassword: string;

  @ApiPropertyOptional({
    example: 'wangjh@mzj.example.gov.cn',
    description: '工作邮箱：所办转办事项逾期时收到提醒（可不填）',
  })
  @Transform(trimEmail)
  @IsOptional()
  @IsEmail({}, { message: '邮箱（email）格式不正确' })
  @MaxLength(100, { message: '邮箱（email）不能超过100个字符' })
  email?: string;
}

export class ChangeEmailDto {
  @ApiProperty({
    example: 'wangjh@mzj.example.gov.cn',
    nullable: true,
    description: '工作邮箱；null 表示删除（不再收到逾期提醒）',
  })
  @Transform(trimEmail)
  @IsOptional()
  @IsEmail({}, { message: '邮箱（email）格式不正确' })
  @MaxLength(100, { message: '邮箱（email）不能超过100个字符' })
  email: string | null;
}

export class DisableUserDto {
  @ApiProperty({ example: '调离岗位', description: '理由（记入事件）' })
  @IsString({ message: '理由应为字符串' })
  @MinLength(1, { message: '请填写理由' })
  @MaxLength(200, { message: '理由不能超过200个字符' })
  reason: string;
}

export class EnableUserDto {
  @ApiPropertyOptional({ example: '返岗', description: '理由（记入事件）' })
  @IsOptional()
  @IsString({ message: '理由应为字符串' })
  @MaxLength(200, { message: '理由不能超过200个字符' })
  reason?: string;
}

export class ResetPasswordDto {
  @ApiProperty({
    example: 'Linshi#Mima2026',
    description: '临时密码（规则同初始密码）；用户下次登录后须修改，原有登录凭证立即失效',
  })
  @IsString(PASSWORD_TYPE)
  @MaxLength(200, PASSWORD_MAX)
  temporaryPassword: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ROLES })
  @IsIn([...ROLES], { message: ROLE_MESSAGE })
  role: Role;

  @ApiProperty({ example: '150802000000', description: '新辖区的12位统计用区划代码' })
  @Matches(CODE, { message: CODE_MESSAGE })
  jurisdiction: string;

  @ApiPropertyOptional({ enum: DEPARTMENTS, description: '部门；不填则按角色确定' })
  @IsOptional()
  @IsIn(DEPARTMENTS, { message: DEPARTMENT_MESSAGE })
  department?: string;

  @ApiPropertyOptional({ description: '所属组织；不填则保持不变' })
  @IsOptional()
  @IsString({ message: '组织名称应为字符串' })
  @MaxLength(100, { message: '组织名称不能超过100个字符' })
  organisation?: string;

  @ApiPropertyOptional({ example: '岗位调整', description: '理由（记入事件）' })
  @IsOptional()
  @IsString({ message: '理由应为字符串' })
  @MaxLength(200, { message: '理由不能超过200个字符' })
  reason?: string;
}

export class UserListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES, description: '只列此角色' })
  @IsOptional()
  @IsIn([...ROLES], { message: ROLE_MESSAGE })
  role?: Role;

  @ApiPropertyOptional({ example: '150802000000', description: '只列此区划及其下级的用户' })
  @IsOptional()
  @Matches(CODE, { message: CODE_MESSAGE })
  jurisdiction?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'true：只列在用账号；false：只列已停用账号' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active 应为 true 或 false' })
  active?: boolean;

  @ApiPropertyOptional({ example: '王', description: '用户名或姓名中的文字' })
  @IsOptional()
  @IsString({ message: '查询文字应为字符串' })
  @MaxLength(50, { message: '查询文字不能超过50个字符' })
  q?: string;
}

export class JurisdictionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['city', 'county', 'township', 'village'] })
  @IsOptional()
  @IsIn(['city', 'county', 'township', 'village'], { message: '层级应为 city、county、township 或 village' })
  level?: 'city' | 'county' | 'township' | 'village';

  @ApiPropertyOptional({ example: '150802000000', description: '只列此区划的直接下级' })
  @IsOptional()
  @Matches(CODE, { message: CODE_MESSAGE })
  parent?: string;

  @ApiPropertyOptional({ example: '双河', description: '名称中的文字，或代码的开头' })
  @IsOptional()
  @IsString({ message: '查询文字应为字符串' })
  @MaxLength(50, { message: '查询文字不能超过50个字符' })
  q?: string;
}

export class UserViewDto {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ example: '乡镇（街道）窗口经办人员' }) roleName: string;
  @ApiProperty() department: string;
  @ApiProperty({ example: '一门受理（乡镇、街道窗口）' }) departmentName: string;
  @ApiProperty() jurisdiction: string;
  @ApiProperty({ example: '巴彦淖尔市五原县隆兴昌镇' }) jurisdictionName: string;
  @ApiProperty({ nullable: true, type: String, example: '苏木乡镇（街道）' }) jurisdictionLevel:
    string | null;
  @ApiProperty({ nullable: true, type: String }) organisation: string | null;
  @ApiProperty({ nullable: true, type: String, description: '工作邮箱（逾期提醒）' }) email: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({ example: '在用' }) statusName: string;
  @ApiProperty({ description: '下次登录须修改密码' }) mustChangePassword: boolean;
  @ApiProperty({ nullable: true, type: String }) disabledReason: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class UserPageDto {
  @ApiProperty({ type: [UserViewDto] }) items: UserViewDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class HistoryActorDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() role: string;
  @ApiProperty() roleName: string;
}

export class UserHistoryItemDto {
  @ApiProperty({ example: 'identity.UserDisabled' }) type: string;
  @ApiProperty({ example: '停用账号（已签发的登录凭证随即失效）' }) summary: string;
  @ApiProperty({ nullable: true, type: String }) reason: string | null;
  @ApiProperty() at: string;
  @ApiProperty({ type: HistoryActorDto }) by: HistoryActorDto;
}

export class UserDetailDto extends UserViewDto {
  @ApiProperty({ type: [UserHistoryItemDto] }) history: UserHistoryItemDto[];
}

export class JurisdictionViewDto {
  @ApiProperty() code: string;
  @ApiProperty({ example: '迎胜村' }) name: string;
  @ApiProperty({ nullable: true, type: String, example: '迎胜村村民委员会' }) officialName: string | null;
  @ApiProperty({ enum: ['city', 'county', 'township', 'village'] }) level: string;
  @ApiProperty({ example: '嘎查村（社区）' }) levelName: string;
  @ApiProperty({ nullable: true, type: String }) parentCode: string | null;
  @ApiProperty({ example: '巴彦淖尔市临河区双河镇' }) fullName: string;
  @ApiProperty({ description: '直接下级的数量' }) children: number;
}

export class JurisdictionPageDto {
  @ApiProperty({ type: [JurisdictionViewDto] }) items: JurisdictionViewDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class JurisdictionDetailDto extends JurisdictionViewDto {
  @ApiProperty({ type: [JurisdictionViewDto], description: '从市到本级' }) path: JurisdictionViewDto[];
}

const list = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').filter(Boolean) : value;

export class NamesQueryDto {
  @ApiPropertyOptional({ description: '用户标识，逗号分隔（至多200个）', example: 'u-auditor,u-admin' })
  @IsOptional()
  @Transform(list)
  @IsArray({ message: 'ids 应为逗号分隔的用户标识' })
  @ArrayMaxSize(200, { message: 'ids 至多200个' })
  @IsString({ each: true, message: 'ids 应为逗号分隔的用户标识' })
  @MaxLength(100, { each: true, message: '用户标识不能超过100个字符' })
  ids?: string[];

  @ApiPropertyOptional({ description: '区划代码，逗号分隔（至多200个）', example: '150802100201' })
  @IsOptional()
  @Transform(list)
  @IsArray({ message: 'codes 应为逗号分隔的区划代码' })
  @ArrayMaxSize(200, { message: 'codes 至多200个' })
  @Matches(CODE, { each: true, message: CODE_MESSAGE })
  codes?: string[];
}
