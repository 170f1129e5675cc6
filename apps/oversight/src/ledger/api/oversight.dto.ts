import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInstant } from '@platform/config';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class TimelineQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsIn(['intake', 'civil-affairs', 'health', 'housing', 'education'])
  department?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) actor?: string;
  @ApiPropertyOptional({ example: 'health.ReferralAccepted' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  type?: string;
  @ApiPropertyOptional({ description: '起始时间（含）；不带时区时按北京时间' })
  @IsOptional()
  @IsInstant('from')
  from?: string;
  @ApiPropertyOptional({ description: '截止时间（不含）；不带时区时按北京时间' })
  @IsOptional()
  @IsInstant('to')
  to?: string;
  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) page = 1;
  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize = 50;
}

export class StateQueryDto {
  @ApiPropertyOptional({
    description: '时点：案件在该时刻的状态；不带时区时按北京时间，如 2026-11-27 22:32:03',
  })
  @IsOptional()
  @IsInstant('at')
  at?: string;
  @ApiPropertyOptional({ description: 'Ledger position: the case after that entry' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  position?: number;
}

export class DiffQueryDto {
  @ApiPropertyOptional({ description: '不带时区时按北京时间' }) @IsInstant('from') from: string;
  @ApiPropertyOptional({ description: '不带时区时按北京时间' }) @IsInstant('to') to: string;
}

export class PeriodQueryDto {
  @ApiPropertyOptional({ description: '起始时间（含），默认 90 天前；不带时区时按北京时间' })
  @IsOptional()
  @IsInstant('from')
  from?: string;
  @ApiPropertyOptional({ description: '截止时间（不含），默认现在；不带时区时按北京时间' })
  @IsOptional()
  @IsInstant('to')
  to?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsIn(['civil-affairs', 'health', 'housing', 'education'])
  department?: string;
  @ApiPropertyOptional({ example: '150802000000' }) @IsOptional() @Matches(/^\d{12}$/) county?: string;
}

export class ReportQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({ enum: ['json', 'csv', 'html'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv', 'html'])
  format?: 'json' | 'csv' | 'html';
}

const list = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',').filter(Boolean) : value;

export class CaseLabelsQueryDto {
  @ApiPropertyOptional({ description: '案件标识，逗号分隔（至多200个）' })
  @IsOptional()
  @Transform(list)
  @IsArray({ message: 'ids 应为逗号分隔的案件标识' })
  @ArrayMaxSize(200, { message: 'ids 至多200个' })
  @Matches(/^[0-9a-f-]{36}$/i, { each: true, message: 'ids 应为案件标识' })
  ids?: string[];

  @ApiPropertyOptional({ description: '案件编号，逗号分隔（至多200个）', example: '150802-2026-000001' })
  @IsOptional()
  @Transform(list)
  @IsArray({ message: 'numbers 应为逗号分隔的案件编号' })
  @ArrayMaxSize(200, { message: 'numbers 至多200个' })
  @Matches(/^\d{6}-\d{4}-\d{6}$/, { each: true, message: '案件编号格式应为 150802-2026-000123' })
  numbers?: string[];
}
