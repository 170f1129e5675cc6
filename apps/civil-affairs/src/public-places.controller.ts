import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { LEVEL_NAMES_ZH, Public, UserDirectory, type JurisdictionTree } from '@platform/auth';
import { PageQueryDto } from '@platform/config';
import { DomainError } from '@platform/contracts';
import { IsOptional, Matches } from 'class-validator';

export class PlaceQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    example: '150802100000',
    description: '上级区划代码：不填为全市的旗县区，填旗县区为其乡镇（街道），填乡镇为其村（社区）',
  })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: '上级区划代码应为12位数字' })
  parentCode?: string;
}

/**
 * The places directly under `parentCode` (the city's counties when it is absent), by code, paged: names and
 * codes only. 404 for an unknown code or a village (nothing is under one).
 */
function placesUnder(tree: JurisdictionTree, q: PlaceQueryDto) {
  const parent = q.parentCode ?? tree.list('city')[0]?.code;
  const node = parent ? tree.get(parent) : undefined;
  if (!node || node.level === 'village')
    throw new DomainError('PLACE_NOT_FOUND', `没有区划代码为 ${q.parentCode ?? ''} 的市、旗县区或乡镇`, 404, {
      field: 'parentCode',
    });
  const children = tree
    .list()
    .filter((n) => n.parentCode === node.code)
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    parentCode: node.code,
    parentName: tree.fullName(node.code),
    items: children.slice((q.page - 1) * q.pageSize, q.page * q.pageSize).map((n) => ({
      code: n.code,
      name: n.name,
      level: n.level,
      levelName: LEVEL_NAMES_ZH[n.level],
    })),
    total: children.length,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * 地名: a citizen looking for a notice knows the township and village by name, not by division code. The
 * city's counties, townships and villages, read-only, names and codes only (no people); rate-limited.
 */
@ApiTags('public')
@Controller('public/places')
export class PublicPlacesController {
  constructor(@Inject(UserDirectory) private readonly directory: UserDirectory) {}

  @Get()
  @Public()
  // PUBLIC_RATE_LIMIT_PER_MINUTE per address (the default throttler), not a number fixed here.
  @UseGuards(ThrottlerGuard)
  @ApiOperation({
    summary: '地名：全市的旗县区，或某一旗县区的乡镇（街道）、某一乡镇的村（社区），按代码排序，分页；限流',
  })
  list(@Query() q: PlaceQueryDto) {
    return placesUnder(this.directory.jurisdictions, q);
  }
}

/**
 * 地名 for staff: the same names for the place pickers of the workbench, to anyone logged in, without the
 * public per-address limit: a township office's officers share one address, and a form with a few pickers
 * would spend a citizen's allowance in a minute.
 */
@ApiTags('places')
@ApiBearerAuth()
@Controller('places')
export class PlacesController {
  constructor(@Inject(UserDirectory) private readonly directory: UserDirectory) {}

  @Get()
  @ApiOperation({
    summary:
      '地名（工作人员）：全市的旗县区，或某一旗县区的乡镇（街道）、某一乡镇的村（社区），按代码排序，分页；登录即可，不按地址限流',
  })
  list(@Query() q: PlaceQueryDto) {
    return placesUnder(this.directory.jurisdictions, q);
  }
}
