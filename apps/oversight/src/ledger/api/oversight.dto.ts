import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInstant } from '@platform/config';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

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
