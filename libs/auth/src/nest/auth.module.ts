import { randomBytes } from 'node:crypto';
import { type DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { CLOCK, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { MIGRATION_POOL, PG_POOL, PostgresEventStore } from '@platform/event-store';
import type { Pool } from 'pg';
import { AdminJurisdictionsController, AdminUsersController } from '../api/admin.controller.js';
import { USER_COMMAND_HANDLERS } from '../application/commands/user-commands.js';
import { IDENTITY_ADMIN, type IdentityAdmin } from '../application/identity-admin.js';
import {
  ListJurisdictionsHandler,
  ListUsersHandler,
  UserNamesHandler,
  ViewJurisdictionHandler,
  ViewUserHandler,
} from '../application/queries/user-queries.js';
import { UserAdministration } from '../application/user-administration.js';
import { TokenService } from '../tokens.js';
import { LoginLimiter } from '../login-limiter.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { IdentityProviderSignIn } from './identity-provider-sign-in.js';
import { ClockController } from './clock.controller.js';
import { IdempotencyInterceptor, IdempotencyKeys, requestsSchemaOf } from './idempotency.js';
import { PostgresThrottlerStorage } from './rate-limit-storage.js';
import { RefreshTokens } from './refresh-tokens.js';
import { SharedLoginFailures } from './shared-login-failures.js';
import { ReadYourWritesInterceptor } from './read-your-writes.js';
import { Authorizer } from './authorizer.js';
import { UserDirectory } from './user-directory.js';

/**
 * Authentication (local login or the government IdP), role checks and jurisdiction scoping for a service,
 * and the administration of users and the jurisdiction tree (`/admin/users`, `/admin/jurisdictions`).
 * Every service has it; they share the identity schema.
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [PLATFORM_CONFIG, PG_POOL],
          useFactory: (config: PlatformConfig, pool: Pool) => ({
            throttlers: [{ name: 'default', ttl: 60_000, limit: config.PUBLIC_RATE_LIMIT_PER_MINUTE }],
            // Counted in the database: every instance sees the same count per address.
            storage: new PostgresThrottlerStorage(pool, requestsSchemaOf(config.DATABASE_SCHEMA_PREFIX)),
          }),
        }),
      ],
      controllers: [
        AuthController,
        AdminUsersController,
        AdminJurisdictionsController,
        ...(process.env.CLOCK_CONTROL === 'true' ? [ClockController] : []),
      ],
      providers: [
        {
          provide: TokenService,
          inject: [PLATFORM_CONFIG],
          useFactory: (config: PlatformConfig) => {
            let secret = config.JWT_SECRET;
            if (!secret) {
              secret = randomBytes(32).toString('hex');
              new Logger('Auth').warn(
                'JWT_SECRET is not set: tokens are signed with a per-process key and end at restart',
              );
            }
            return new TokenService({
              secret: new TextEncoder().encode(secret),
              issuer: config.JWT_ISSUER,
              ttlSeconds: config.JWT_TTL_SECONDS,
              // Token validity is real time, not the business clock that acceptance tests may move.
              now: () => new Date(),
              idp:
                // loadConfig refuses an identity provider without its issuer and audience.
                config.AUTH_IDP_JWKS_URL || config.AUTH_IDP_PUBLIC_KEY
                  ? {
                      jwksUrl: config.AUTH_IDP_JWKS_URL,
                      publicKeyPem: config.AUTH_IDP_PUBLIC_KEY,
                      algorithm: config.AUTH_IDP_ALGORITHM,
                      issuer: config.AUTH_IDP_ISSUER!,
                      audience: config.AUTH_IDP_AUDIENCE!,
                    }
                  : undefined,
            });
          },
        },
        UserDirectory,
        {
          provide: IdentityProviderSignIn,
          inject: [PLATFORM_CONFIG, TokenService, UserDirectory],
          useFactory: (config: PlatformConfig, tokens: TokenService, directory: UserDirectory) =>
            new IdentityProviderSignIn(
              // loadConfig refuses a partial browser sign-in and one without a key to check its tokens.
              config.AUTH_IDP_AUTHORIZE_URL && config.AUTH_IDP_TOKEN_URL && config.AUTH_IDP_CLIENT_ID
                ? {
                    name: config.AUTH_IDP_NAME,
                    authorizeUrl: config.AUTH_IDP_AUTHORIZE_URL,
                    tokenUrl: config.AUTH_IDP_TOKEN_URL,
                    clientId: config.AUTH_IDP_CLIENT_ID,
                    clientSecret: config.AUTH_IDP_CLIENT_SECRET,
                    clientAuth: config.AUTH_IDP_CLIENT_AUTH,
                    scope: config.AUTH_IDP_SCOPE,
                    tokenField: config.AUTH_IDP_TOKEN_FIELD,
                    timeoutMs: 10_000,
                  }
                : null,
              tokens,
              () => directory.jurisdictions,
            ),
        },
        // Failed-login counters: this process's (with attempts in flight) and every instance's (database).
        { provide: LoginLimiter, useFactory: () => new LoginLimiter() },
        {
          provide: SharedLoginFailures,
          inject: [PG_POOL, PLATFORM_CONFIG],
          useFactory: (pool: Pool, config: PlatformConfig) =>
            new SharedLoginFailures(pool, requestsSchemaOf(config.DATABASE_SCHEMA_PREFIX)),
        },
        {
          provide: RefreshTokens,
          inject: [PG_POOL, MIGRATION_POOL, PLATFORM_CONFIG],
          useFactory: async (pool: Pool, migrationPool: Pool, config: PlatformConfig) => {
            const tokens = new RefreshTokens(pool, requestsSchemaOf(config.DATABASE_SCHEMA_PREFIX), {
              ttlSeconds: config.REFRESH_TTL_SECONDS,
            });
            await tokens.migrate(migrationPool);
            await tokens.sweep().catch(() => undefined);
            return tokens;
          },
        },
        {
          provide: IDENTITY_ADMIN,
          inject: [PG_POOL, UserDirectory, CLOCK],
          useFactory: (pool: Pool, directory: UserDirectory, clock: Clock): IdentityAdmin => {
            // Always PostgreSQL (also with EVENT_STORE=kurrentdb): a user's events and their `users` row
            // commit in one transaction.
            const store = new PostgresEventStore({ pool, schema: directory.schemaName });
            const tree = () => directory.jurisdictions;
            return {
              administration: new UserAdministration({
                pool,
                store,
                schema: directory.schemaName,
                tree,
                now: () => clock.now(),
                onChanged: (userId) => directory.forget(userId),
              }),
              pool,
              schema: directory.schemaName,
              store,
              tree,
            };
          },
        },
        ...USER_COMMAND_HANDLERS,
        ListUsersHandler,
        UserNamesHandler,
        ViewUserHandler,
        ListJurisdictionsHandler,
        ViewJurisdictionHandler,
        Authorizer,
        { provide: APP_GUARD, useClass: AuthGuard },
        IdempotencyKeys,
        // Outermost first: positions are collected around the idempotent command.
        { provide: APP_INTERCEPTOR, useClass: ReadYourWritesInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
      exports: [TokenService, UserDirectory, Authorizer],
    };
  }
}
