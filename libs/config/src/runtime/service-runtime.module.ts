import { DynamicModule, Global, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { loadConfig, type PlatformConfig } from '../config.schema.js';
import { AdjustableClock, CLOCK } from './clock.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRegistry } from './metrics.js';
import { Tracing } from './tracing.js';
import { ReadinessRegistry } from './readiness.registry.js';
import { PLATFORM_CONFIG, SERVICE_NAME } from './tokens.js';

export interface ServiceRuntimeOptions {
  service: string;
  /** Standalone department services need an external database; apps/platform may embed one. */
  requireDatabaseUrl?: boolean;
}

/**
 * What a request log line says about the request: method, path and id. Not the query string (the public
 * progress page's query code, an officer's stated purpose for viewing a person travel there) and not the
 * headers (tokens, cookies).
 */
export function requestForLog(req: { id?: unknown; method?: string; url?: string }) {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  return { id: req.id, method: req.method, url: q < 0 ? url : `${url.slice(0, q)}?…` };
}

/** Sends the spans still buffered when the application closes. */
@Injectable()
class TracingLifecycle implements OnApplicationShutdown {
  constructor(private readonly tracing: Tracing) {}
  async onApplicationShutdown(): Promise<void> {
    await this.tracing.shutdown();
  }
}

/** Validated configuration, read when the application is created (not when modules are imported). */
@Global()
@Module({})
export class PlatformConfigModule {
  static forRoot(options: ServiceRuntimeOptions): DynamicModule {
    return {
      module: PlatformConfigModule,
      providers: [
        {
          provide: PLATFORM_CONFIG,
          useFactory: (): PlatformConfig =>
            loadConfig(process.env, { requireDatabaseUrl: options.requireDatabaseUrl ?? false }),
        },
        { provide: SERVICE_NAME, useValue: options.service },
        ReadinessRegistry,
        { provide: MetricsRegistry, useFactory: () => new MetricsRegistry(options.service) },
        {
          provide: Tracing,
          inject: [PLATFORM_CONFIG],
          useFactory: (config: PlatformConfig) => new Tracing(config, options.service),
        },
        TracingLifecycle,
        { provide: CLOCK, useFactory: () => new AdjustableClock() },
      ],
      exports: [PLATFORM_CONFIG, SERVICE_NAME, ReadinessRegistry, MetricsRegistry, Tracing, CLOCK],
    };
  }
}

/** Configuration, structured logs, /health and /ready, the command and query buses: what every service has. */
@Module({})
export class ServiceRuntimeModule {
  static forRoot(options: ServiceRuntimeOptions): DynamicModule {
    const configModule = PlatformConfigModule.forRoot(options);
    return {
      module: ServiceRuntimeModule,
      imports: [
        configModule,
        // Command and query buses for every module (global). Its event bus delivers nothing between
        // services: integration goes through each service's outbox relay.
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ logger: false }),
        LoggerModule.forRootAsync({
          imports: [configModule],
          inject: [PLATFORM_CONFIG],
          useFactory: (config: PlatformConfig) => ({
            pinoHttp: {
              level: config.LOG_LEVEL,
              name: options.service,
              autoLogging: {
                ignore: (req: { url?: string }) =>
                  req.url === '/health' || req.url === '/ready' || req.url === '/metrics',
              },
              serializers: { req: requestForLog },
              // The request's trace id, to find its spans (and its events' correlation id) from a log line.
              customProps: (req: { url?: string; trace?: { traceId: string } }) =>
                req.trace ? { traceId: req.trace.traceId } : {},
            },
          }),
        }),
      ],
      controllers: [HealthController, MetricsController],
      exports: [configModule],
    };
  }
}
