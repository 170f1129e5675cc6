import { ConfigurationError, loadConfig } from './config.schema.js';

describe('loadConfig', () => {
  describe('defaults', () => {
    it('runs on the embedded defaults with nothing set', () => {
      const c = loadConfig({});
      expect(c).toMatchObject({
        TRANSPORT: 'event-log',
        DATA_DIR: './.data',
        EMBEDDED_PG_PORT: 54329,
        LOG_LEVEL: 'info',
      });
      expect(c.DATABASE_URL).toBeUndefined();
    });

    it('chooses Kafka when brokers are configured', () => {
      expect(loadConfig({ KAFKA_BROKERS: 'a:9092,b:9092' }).TRANSPORT).toBe('kafka');
    });
  });

  describe('refusing bad settings', () => {
    it('names every malformed setting in one message', () => {
      let error: unknown;
      try {
        loadConfig({
          PORT: 'eighty',
          DATABASE_URL: 'mysql://x',
          KAFKA_BROKERS: 'no-port',
          LOG_LEVEL: 'loud',
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      const message = (error as Error).message;
      expect(message).toMatch(/PORT: .*\(got "eighty"\)/);
      expect(message).toMatch(/DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/);
      expect(message).toMatch(/KAFKA_BROKERS: expected a comma-separated list of host:port/);
      expect(message).toMatch(/LOG_LEVEL/);
    });

    it('requires DATABASE_URL for a service running on its own', () => {
      expect(() => loadConfig({}, { requireDatabaseUrl: true })).toThrow(/DATABASE_URL: required/);
    });

    it('requires brokers when Kafka is asked for', () => {
      expect(() => loadConfig({ TRANSPORT: 'kafka' })).toThrow(
        /KAFKA_BROKERS: required when TRANSPORT=kafka/,
      );
    });

    it('rejects a port out of range', () => {
      expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    });
  });
});
