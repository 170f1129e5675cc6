import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from './public.decorator.js';
import { ReadinessRegistry } from './readiness.registry.js';

const CHECK_TIMEOUT_MS = 3000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

@ApiTags('operations')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(ReadinessRegistry) private readonly registry: ReadinessRegistry,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @HealthCheck()
  live() {
    return this.health.check([
      () => this.indicators.check('process').up({ uptimeSeconds: Math.round(process.uptime()) }),
    ]);
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: database and transport reachable, every consumer group taking messages',
  })
  @HealthCheck()
  ready() {
    return this.health.check(
      this.registry.list().map((c) => async () => {
        const session = this.indicators.check(c.name);
        try {
          const details = await withTimeout(c.check(), CHECK_TIMEOUT_MS, c.name);
          return details ? session.up(details) : session.up();
        } catch (e) {
          // A check may say more than why it is down (e.g. each consumer group's state).
          const details = (e as { details?: Record<string, unknown> }).details ?? {};
          return session.down({ message: (e as Error).message, ...details });
        }
      }),
    );
  }
}
