import type { Type } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { PageQueryDto } from '@platform/config';
import { IsOptional, Matches } from 'class-validator';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CODE = /^\d{12}$/;

/** How a department describes its list's common filters to the officer (Swagger). */
export interface RegisterListLabels {
  jurisdiction: string;
  jurisdictionExample: string;
  from: string;
  to: string;
}

/**
 * The filters a department's register list shares (a node of the jurisdiction tree, the days), described
 * in the department's words, after the department's own (the page, programme, school year: `Own`, a
 * `PageQueryDto`), so that the list's parameters keep their order. The department names the class.
 */
export function RegisterListQueryDto<Own extends PageQueryDto>(Own: Type<Own>, labels: RegisterListLabels) {
  abstract class RegisterListQuery extends (Own as Type<PageQueryDto>) {
    @ApiPropertyOptional({ example: labels.jurisdictionExample, description: labels.jurisdiction })
    @IsOptional()
    @Matches(CODE, { message: '区划代码应为12位数字' })
    jurisdictionCode?: string;

    @ApiPropertyOptional({ example: '2026-01-01', description: labels.from })
    @IsOptional()
    @Matches(DAY, { message: '起始日期格式应为 YYYY-MM-DD' })
    from?: string;

    @ApiPropertyOptional({ example: '2026-12-31', description: labels.to })
    @IsOptional()
    @Matches(DAY, { message: '截止日期格式应为 YYYY-MM-DD' })
    to?: string;
  }
  return RegisterListQuery as unknown as abstract new () => Own & RegisterListQuery;
}
