import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { validationPipe } from './validation.js';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { ConfigurationError, type PlatformConfig } from '../config.schema.js';
import { HttpErrorFilter } from './http-error.filter.js';
import { assertJsonDepth, BODY_LIMIT, bodyErrorHandler } from './input-bounds.js';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NestExpressBodyParserOptionsFor } from '@nestjs/platform-express/interfaces/nest-express-body-parser.interface.js';
import { PLATFORM_CONFIG } from './tokens.js';
import { MetricsRegistry } from './metrics.js';
import { Tracing } from './tracing.js';
import { noStoreByDefault, securityHeaders } from './security.js';
import { trustProxySetting } from '../trust-proxy.js';

export interface BootstrapOptions {
  title: string;
  description: string;
  defaultPort: number;
  /** Listen on this port instead of the configured one (tests pass 0). */
  port?: number;
  /** Runs after the application closed on SIGINT/SIGTERM (e.g. stop the embedded database). */
  afterClose?: () => Promise<void>;
}

/** Creates, documents and starts a service; SIGINT/SIGTERM close it cleanly (see installSignalHandlers). */
export async function bootstrapService(
  module: Type<unknown>,
  options: BootstrapOptions,
): Promise<INestApplication> {
  let app: INestApplication;
  try {
    // Nest's own body parser is replaced by one with a size limit and a nesting check before parsing.
    app = await NestFactory.create<NestExpressApplication>(module, {
      bufferLogs: true,
      abortOnError: false,
      bodyParser: false,
    });
  } catch (e) {
    // A bad setting stops start-up with a message that names it, not a stack trace.
    if (e instanceof ConfigurationError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  app.useLogger(app.get(Logger));
  const express = app as NestExpressApplication;
  const config = app.get<PlatformConfig>(PLATFORM_CONFIG);
  // Before everything else, so that every answer (errors of the body parser included) carries them.
  express.disable('x-powered-by');
  express.set('trust proxy', trustProxySetting(config.TRUST_PROXY));
  express.use(securityHeaders({ hsts: config.HSTS === 'true' }));
  express.use(noStoreByDefault);
  express.use(app.get(MetricsRegistry).httpMiddleware());
  const tracing = app.get(Tracing);
  express.use(tracing.httpMiddleware());
  // `verify` is passed through to Express's JSON parser (Nest only sets its own when rawBody is on).
  const json = {
    limit: BODY_LIMIT,
    verify: (_req: unknown, _res: unknown, buf: Buffer) => assertJsonDepth(buf),
  } as unknown as NestExpressBodyParserOptionsFor<'json'>;
  express.useBodyParser('json', json);
  express.useBodyParser('urlencoded', { limit: '100kb', extended: true });
  express.use(bodyErrorHandler);
  express.use(tracing.scopeMiddleware());
  app.useGlobalFilters(new HttpErrorFilter());
  app.useGlobalPipes(validationPipe());
  installSignalHandlers(app, options.afterClose);
  // The API description (/docs, /docs-json, /docs-yaml): off in production unless DOCS_ENABLED=true.
  if (config.DOCS_ENABLED === 'true') {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(options.title)
        .setDescription(options.description)
        .setVersion('0.1.0')
        .addBearerAuth()
        .build(),
    );
    documentIdempotencyKey(document);
    SwaggerModule.setup('docs', app, document);
  }
  await app.listen(options.port ?? config.PORT ?? options.defaultPort, config.HOST);
  // Keep idle client connections longer than balancers and clients do (Node's default is 5 s): a
  // client reusing a connection the server is closing at that moment sees a reset, not an answer.
  const server = app.getHttpServer() as import('node:http').Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return app;
}

/** Every change (POST, PUT, PATCH, DELETE) accepts an Idempotency-Key: say so on each of them. */
function documentIdempotencyKey(document: ReturnType<typeof SwaggerModule.createDocument>): void {
  for (const item of Object.values(document.paths)) {
    for (const method of ['post', 'put', 'patch', 'delete'] as const) {
      const operation = item[method];
      if (!operation) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            '幂等键（如 UUID，1–200 个可见 ASCII 字符）：同一用户以同一键重复提交相同请求时，返回第一次的答复而不再办理；' +
            '同一键用于不同请求返回 422；第一次仍在办理时返回 409 并附 Retry-After。保留 24 小时。',
          schema: { type: 'string', maxLength: 200 },
        },
      ];
    }
  }
}

/**
 * Ctrl-C or SIGTERM: close the app (relays, consumers, pools stop through their shutdown hooks),
 * then whatever the launcher owns, then exit. A second signal forces the exit.
 */
function installSignalHandlers(app: INestApplication, afterClose?: () => Promise<void>): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      process.exit(130);
    }
    closing = true;
    const logger = app.get(Logger);
    logger.log(`${signal} received: shutting down`);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    void (async () => {
      let code = 0;
      try {
        await app.close();
      } catch (e) {
        code = 1;
        logger.error(`error while closing: ${(e as Error).message}`);
      }
      try {
        await afterClose?.();
      } catch (e) {
        code = 1;
        logger.error(`error after close: ${(e as Error).message}`);
      }
      process.exit(code);
    })();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}
