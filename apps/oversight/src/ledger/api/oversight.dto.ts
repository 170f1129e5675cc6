import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

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
  @ApiPropertyOptional() @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() to?: string;
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
  @ApiPropertyOptional({ description: 'ISO time: the case as it stood then' })
  @IsOptional()
  @IsISO8601()
  at?: string;
  @ApiPropertyOptional({ description: 'Ledger position: the case after that entry' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  position?: number;
}

export class DiffQueryDto {
  @ApiPropertyOptional() @IsISO8601() from: string;
  @ApiPropertyOptional() @IsISO8601() to: string;
}

export class PeriodQueryDto {
  @ApiPropertyOptional({ description: 'Start (inclusive), ISO time; default 90 days ago' })
  @IsOptional()
  @IsISO8601()
  from?: string;
  @ApiPropertyOptional({ description: 'End (exclusive), ISO time; default now' })
  @IsOptional()
  @IsISO8601()
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
