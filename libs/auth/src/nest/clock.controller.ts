import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { AdjustableClock, CLOCK } from '@platform/config';
import { IsInt, Max, Min } from 'class-validator';
import { Roles } from './auth.decorators.js';

export class ClockOffsetDto {
  @ApiProperty({ description: 'Milliseconds to add to the system clock', example: 864000000 })
  @IsInt()
  @Min(-365 * 24 * 3600 * 1000)
  @Max(365 * 24 * 3600 * 1000)
  offsetMs: number;
}

/** Only with CLOCK_CONTROL=true (never in production): lets acceptance tests move time across processes. */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('admin/clock')
export class ClockController {
  constructor(@Inject(CLOCK) private readonly clock: AdjustableClock) {}

  @Get()
  @Roles('admin:clock', 'admin')
  @ApiOperation({ summary: 'Current time and offset of this service' })
  get() {
    return { now: this.clock.now().toISOString(), offsetMs: this.clock.offset };
  }

  @Post()
  @HttpCode(200)
  @Roles('admin:clock', 'admin')
  @ApiOperation({ summary: 'Move this service clock (test deployments only)' })
  set(@Body() body: ClockOffsetDto) {
    this.clock.setOffset(body.offsetMs);
    return this.get();
  }
}
