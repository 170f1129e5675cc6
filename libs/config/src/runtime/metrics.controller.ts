import { timingSafeEqual } from 'node:crypto';
import {
  Controller,
  Get,
  Headers,
  Inject,
  NotFoundException,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { PlatformConfig } from '../config.schema.js';
import { MetricsRegistry } from './metrics.js';
import { Public } from './public.decorator.js';
import { PLATFORM_CONFIG } from './tokens.js';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

@ApiTags('operations')
@Public()
@Controller()
export class MetricsController {
  constructor(
    @Inject(MetricsRegistry) private readonly metrics: MetricsRegistry,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  @Get('metrics')
  @ApiOperation({
    summary:
      'Prometheus 指标（HTTP 延迟、事件写入、转发与消费延迟、死信、逾期、封存）；设置 METRICS_TOKEN 时须带 Bearer 令牌，生产环境默认关闭',
  })
  @ApiProduces('text/plain')
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response) {
    if (this.config.METRICS_ENABLED !== 'true') throw new NotFoundException();
    const token = this.config.METRICS_TOKEN;
    if (token && !sameSecret(authorization ?? '', `Bearer ${token}`)) {
      throw new UnauthorizedException({
        code: 'METRICS_TOKEN_REQUIRED',
        message: '需要指标令牌（METRICS_TOKEN）',
      });
    }
    const { contentType, body } = await this.metrics.render();
    res.setHeader('content-type', contentType);
    res.send(body);
  }
}
