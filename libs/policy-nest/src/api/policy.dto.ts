import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@platform/config';
import { IsDefined, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class ChangePolicyDto {
  @ApiProperty({
    description: '新版本的完整内容（按表的结构；见 GET /admin/policy/{table} 当前版本）',
    type: 'object',
    additionalProperties: true,
  })
  @IsDefined()
  @IsObject()
  content: Record<string, unknown>;

  @ApiProperty({ description: '生效日期（北京时间，可为将来日期）', example: '2027-01-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'effectiveFrom：日期格式应为 YYYY-MM-DD' })
  effectiveFrom: string;

  @ApiProperty({ description: '调整理由（文件依据）', example: '根据市人民政府 2027 年第 1 号通知调整' })
  @IsString()
  @MinLength(4)
  @MaxLength(500)
  reason: string;
}

export class LoadCalendarYearDto {
  @ApiProperty({
    description: '放假日期（含周末）及节日名称',
    example: { '2027-01-01': '元旦' },
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  @IsObject()
  holidays: Record<string, string>;

  @ApiProperty({
    description: '调休上班的周末日期及所补节日',
    example: { '2027-02-20': '春节' },
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  @IsObject()
  workingWeekends: Record<string, string>;

  @ApiProperty({ description: '依据', example: '国务院办公厅关于 2027 年部分节假日安排的通知' })
  @IsString()
  @MinLength(4)
  @MaxLength(500)
  reason: string;
}

export class AsOfQueryDto {
  @ApiPropertyOptional({ description: '查看某一日（北京时间）生效的版本；缺省为今天', example: '2026-12-30' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf：日期格式应为 YYYY-MM-DD' })
  asOf?: string;
}

export class PolicyHistoryQueryDto extends PageQueryDto {}
