import { ConfigurationError, loadConfig, ReadinessRegistry, type PlatformConfig } from '@platform/config';
import { KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { Pool } from 'pg';
import { EVENT_STORE } from '../event-store.port.js';
import { EventStoreModule, KURRENTDB_CLIENT, KurrentDbClientLease } from '../nest/event-store.module.js';
import { PostgresEventStore } from '../postgres/postgres-event-store.js';
import { KurrentDbEventStore } from './kurrentdb-event-store.js';

/** EVENT_STORE at start: configuration and the module's choice of adapter. No KurrentDB server involved. */

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigurationError) return e.message;
    throw e;
  }
  return '';
}

describe('EVENT_STORE selection (offline: no KurrentDB server involved)', () => {
  describe('configuration', () => {
    it('stays on PostgreSQL unless told otherwise', () => {
      expect(loadConfig({}).EVENT_STORE).toBe('postgres');
    });

    it('refuses EVENT_STORE=kurrentdb without a connection string, naming the setting', () => {
      expect(problemsOf({ EVENT_STORE: 'kurrentdb' })).toMatch(
        /KURRENTDB_CONNECTION_STRING: required when EVENT_STORE=kurrentdb/,
      );
    });

    it('refuses a malformed connection string without repeating it (it may hold a password)', () => {
      const message = problemsOf({
        EVENT_STORE: 'kurrentdb',
        KURRENTDB_CONNECTION_STRING: 'http://admin:s3cret@db:2113',
      });
      expect(message).toMatch(/KURRENTDB_CONNECTION_STRING: expected a kurrentdb:\/\//);
      expect(message).not.toMatch(/s3cret/);
    });

    it('refuses EVENT_STORE=kurrentdb in production: seals and audit:verify still read PostgreSQL', () => {
      expect(
        problemsOf({
          NODE_ENV: 'production',
          JWT_SECRET: 'x'.repeat(32),
          SEAL_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----',
          PERSONAL_DATA_KEY: 'Qxg1wPES+Urd6ZHfSoe/vCxOIh1ObQ8Tzst+AQw5y3g=',
          EVENT_STORE: 'kurrentdb',
          KURRENTDB_CONNECTION_STRING: 'kurrentdb://db:2113',
        }),
      ).toMatch(/EVENT_STORE: kurrentdb is not supported in production yet/);
    });

    it('accepts the client schemes', () => {
      for (const url of [
        'kurrentdb://127.0.0.1:2113?tls=false',
        'kurrentdb+discover://a:2113,b:2113',
        'kdb://x:1',
      ]) {
        expect(loadConfig({ EVENT_STORE: 'kurrentdb', KURRENTDB_CONNECTION_STRING: url })).toMatchObject({
          EVENT_STORE: 'kurrentdb',
          KURRENTDB_CONNECTION_STRING: url,
        });
      }
    });
  });

  describe('EventStoreModule.forService', () => {
    type Factory = { provide?: unknown; useFactory?: (...args: unknown[]) => unknown };
    const providers = EventStoreModule.forService({ schema: 'selection_test' }).providers as Factory[];
    const leaseFactory = providers.find((p) => p.provide === KURRENTDB_CLIENT)!.useFactory!;
    const storeFactory = providers.find((p) => p.provide === EVENT_STORE)!.useFactory!;
    const pool = {} as Pool;

    it('builds the PostgreSQL store and no KurrentDB client by default', async () => {
      const config: PlatformConfig = loadConfig({});
      expect(await leaseFactory(config)).toBeNull();
      expect(storeFactory(pool, config, null, new ReadinessRegistry())).toBeInstanceOf(PostgresEventStore);
    });

    it('builds the KurrentDB store on the shared client, with a readiness check, when EVENT_STORE=kurrentdb', async () => {
      const config = loadConfig({
        EVENT_STORE: 'kurrentdb',
        KURRENTDB_CONNECTION_STRING: 'kurrentdb://127.0.0.1:2113?tls=false',
      });
      const readiness = new ReadinessRegistry();
      const lease = (await leaseFactory(config)) as KurrentDbClientLease;
      const other = (await leaseFactory(config)) as KurrentDbClientLease;
      try {
        expect(other.client).toBe(lease.client);
        expect(lease.client).toBeInstanceOf(KurrentDBClient);
        const store = storeFactory(pool, config, lease, readiness) as KurrentDbEventStore;
        expect(store).toBeInstanceOf(KurrentDbEventStore);
        expect(store.streamName('case-1')).toBe('selection_test-case-1');
        expect(readiness.list().map((c) => c.name)).toEqual(['kurrentdb']);
      } finally {
        await lease.onApplicationShutdown();
        await other.onApplicationShutdown();
      }
    });
  });
});
