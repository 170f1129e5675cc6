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

  describe('Kafka security', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      SEAL_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----',
      PERSONAL_DATA_KEY: 'Qxg1wPES+Urd6ZHfSoe/vCxOIh1ObQ8Tzst+AQw5y3g=',
      KAFKA_BROKERS: 'kafka:9093',
    };
    const problemsOf = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigurationError).problems;
      }
    };

    it('refuses production on Kafka until KAFKA_SECURITY says how the brokers are reached', () => {
      expect(problemsOf(production)).toEqual([
        expect.stringMatching(/^KAFKA_SECURITY: required in production/),
      ]);
      expect(loadConfig({ ...production, KAFKA_SECURITY: 'plaintext' }).KAFKA_SECURITY).toBe('plaintext');
      // Without Kafka there is nothing to say.
      expect(problemsOf({ ...production, KAFKA_BROKERS: '', TRANSPORT: 'event-log' })).toEqual([]);
      // Outside production plaintext stays the default (the local broker of npm test).
      expect(loadConfig({ KAFKA_BROKERS: 'a:9092' }).KAFKA_SECURITY).toBeUndefined();
    });

    it('wants a user and exactly one password source with sasl_ssl, and never repeats the password', () => {
      const sasl = { ...production, KAFKA_SECURITY: 'sasl_ssl' };
      expect(problemsOf(sasl)).toEqual([
        expect.stringMatching(/^KAFKA_SASL_USERNAME: required/),
        expect.stringMatching(/^KAFKA_SASL_PASSWORD_FILE: required/),
      ]);
      const both = {
        ...sasl,
        KAFKA_SASL_USERNAME: 'health',
        KAFKA_SASL_PASSWORD: 's3cret-kafka',
        KAFKA_SASL_PASSWORD_FILE: '/run/secrets/k',
      };
      expect(problemsOf(both)).toEqual([expect.stringMatching(/^KAFKA_SASL_PASSWORD: set either/)]);
      const ok = loadConfig({
        ...sasl,
        KAFKA_SASL_USERNAME: 'health',
        KAFKA_SASL_PASSWORD_FILE: '/run/secrets/k',
      });
      expect(ok.KAFKA_SASL_MECHANISM).toBe('scram-sha-512');
      // An invalid value next to a password: the refusal names settings, not the secret.
      const refused = problemsOf({
        ...sasl,
        KAFKA_SASL_USERNAME: 'health',
        KAFKA_SASL_PASSWORD: 's3cret-kafka',
        KAFKA_SASL_MECHANISM: 'gssapi',
      });
      expect(refused.join('\n')).toContain('KAFKA_SASL_MECHANISM');
      expect(refused.join('\n')).not.toContain('s3cret-kafka');
    });

    it('refuses settings that would be silently ignored: a login or TLS files over plaintext, half a client certificate', () => {
      expect(problemsOf({ KAFKA_BROKERS: 'a:9092', KAFKA_SASL_USERNAME: 'health' })).toEqual([
        expect.stringMatching(/^KAFKA_SASL_USERNAME: Kafka users need KAFKA_SECURITY=sasl_ssl/),
      ]);
      expect(problemsOf({ KAFKA_BROKERS: 'a:9092', KAFKA_SSL_CA_FILE: '/ca.pem' })).toEqual([
        expect.stringMatching(/^KAFKA_SECURITY: KAFKA_SSL_\* files are set/),
      ]);
      expect(
        problemsOf({ KAFKA_BROKERS: 'a:9092', KAFKA_SECURITY: 'ssl', KAFKA_SSL_CERT_FILE: '/c.pem' }),
      ).toEqual([expect.stringMatching(/^KAFKA_SSL_KEY_FILE: a client certificate needs its key/)]);
      expect(
        loadConfig({ KAFKA_BROKERS: 'a:9092', KAFKA_SECURITY: 'ssl', KAFKA_SSL_CA_FILE: '/ca.pem' })
          .KAFKA_SECURITY,
      ).toBe('ssl');
    });
  });

  describe('the edges', () => {
    it('serves /docs by default outside production only, unless DOCS_ENABLED says otherwise', () => {
      expect(loadConfig({}).DOCS_ENABLED).toBe('true');
      expect(loadConfig({ NODE_ENV: 'test' }).DOCS_ENABLED).toBe('true');
      const production = {
        NODE_ENV: 'production',
        JWT_SECRET: 'x'.repeat(32),
        SEAL_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----',
        PERSONAL_DATA_KEY: 'Qxg1wPES+Urd6ZHfSoe/vCxOIh1ObQ8Tzst+AQw5y3g=',
      };
      expect(loadConfig(production).DOCS_ENABLED).toBe('false');
      expect(loadConfig({ ...production, DOCS_ENABLED: 'true' }).DOCS_ENABLED).toBe('true');
      expect(loadConfig({ DOCS_ENABLED: 'false' }).DOCS_ENABLED).toBe('false');
      expect(() => loadConfig({ DOCS_ENABLED: 'yes' })).toThrow(/DOCS_ENABLED/);
    });

    it('sends HSTS only when told the service is behind HTTPS, and trusts no proxy unless told', () => {
      expect(loadConfig({}).HSTS).toBe('false');
      expect(loadConfig({ HSTS: 'true' }).HSTS).toBe('true');
      expect(loadConfig({}).TRUST_PROXY).toBeUndefined();
      expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe('1');
      expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7' }).TRUST_PROXY).toBe(
        '10.0.0.0/8, 192.168.1.7',
      );
    });
  });

  describe('refusing bad settings', () => {
    it('does not let an unset NODE_ENV mean development on a network address', () => {
      expect(loadConfig({}).NODE_ENV).toBe('development');
      for (const HOST of ['127.0.0.1', '127.10.0.7', 'localhost', '::1', '[::1]'])
        expect(loadConfig({ HOST }).HOST).toBe(HOST);
      for (const HOST of ['0.0.0.0', '::', '10.1.2.3', 'platform.example.cn', '128.0.0.1']) {
        expect(() => loadConfig({ HOST })).toThrow(/NODE_ENV: not set while HOST=/);
        // An empty NODE_ENV is an unset one, not a way around the rule.
        expect(() => loadConfig({ HOST, NODE_ENV: '' })).toThrow(/NODE_ENV/);
        expect(loadConfig({ HOST, NODE_ENV: 'development' }).HOST).toBe(HOST);
      }
    });

    it('requires the issuer and audience of an identity provider', () => {
      const key = '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----';
      expect(() => loadConfig({ AUTH_IDP_PUBLIC_KEY: key })).toThrow(/AUTH_IDP_ISSUER: required/);
      expect(() =>
        loadConfig({ AUTH_IDP_JWKS_URL: 'https://idp.example.cn/jwks', AUTH_IDP_ISSUER: 'x' }),
      ).toThrow(/AUTH_IDP_AUDIENCE: required/);
      const c = loadConfig({ AUTH_IDP_PUBLIC_KEY: key, AUTH_IDP_ISSUER: 'gov', AUTH_IDP_AUDIENCE: 'sa' });
      expect(c.AUTH_IDP_ALGORITHM).toBe('RS256');
      expect(() => loadConfig({ AUTH_IDP_ALGORITHM: 'none' })).toThrow(/AUTH_IDP_ALGORITHM/);
      expect(() => loadConfig({ AUTH_IDP_ALGORITHM: 'HS256' })).toThrow(/AUTH_IDP_ALGORITHM/);
    });

    it('requires every part of browser sign-in, a key for its tokens, and https in production', () => {
      const verify = {
        AUTH_IDP_JWKS_URL: 'https://idp.example.cn/jwks',
        AUTH_IDP_ISSUER: 'gov',
        AUTH_IDP_AUDIENCE: 'sa',
      };
      const signIn = {
        AUTH_IDP_AUTHORIZE_URL: 'https://idp.example.cn/authorize',
        AUTH_IDP_TOKEN_URL: 'https://idp.example.cn/token',
        AUTH_IDP_CLIENT_ID: 'social-assistance',
      };
      expect(() => loadConfig({ ...verify, AUTH_IDP_AUTHORIZE_URL: signIn.AUTH_IDP_AUTHORIZE_URL })).toThrow(
        /AUTH_IDP_TOKEN_URL: required[\s\S]*AUTH_IDP_CLIENT_ID: required/,
      );
      expect(() => loadConfig(signIn)).toThrow(/AUTH_IDP_JWKS_URL: required \(or AUTH_IDP_PUBLIC_KEY\)/);
      const c = loadConfig({ ...verify, ...signIn });
      expect([c.AUTH_IDP_NAME, c.AUTH_IDP_SCOPE, c.AUTH_IDP_TOKEN_FIELD, c.AUTH_IDP_CLIENT_AUTH]).toEqual([
        '政务服务统一身份认证',
        'openid',
        'access_token',
        'basic',
      ]);
      const plain = { ...verify, ...signIn, AUTH_IDP_TOKEN_URL: 'http://idp.example.cn/token' };
      expect(() => loadConfig(plain)).not.toThrow();
      expect(() => loadConfig({ ...plain, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(
        /AUTH_IDP_TOKEN_URL: must be https:\/\/ in production/,
      );
      // The client secret is never echoed in an error.
      let message = '';
      try {
        loadConfig({ ...verify, ...signIn, AUTH_IDP_CLIENT_SECRET: 'x'.repeat(501) });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/AUTH_IDP_CLIENT_SECRET/);
      expect(message).not.toContain('x'.repeat(501));
    });

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

    it('refuses a TRUST_PROXY that would trust every client, or is no address', () => {
      expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY: true would trust every client/);
      expect(() => loadConfig({ TRUST_PROXY: '10.0.0.1,proxy.local' })).toThrow(
        /TRUST_PROXY: .*not valid: "proxy.local"/,
      );
      expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
      expect(() => loadConfig({ TRUST_PROXY: '99' })).toThrow(/TRUST_PROXY: expected at most 10 hops/);
    });
  });
});
