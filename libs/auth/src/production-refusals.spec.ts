// The configuration rule lives in libs/config; imported by path because @platform/config's index pulls in
// @nestjs/swagger, which Jest cannot load here.
import { ConfigurationError, loadConfig } from '../../config/src/config.schema.js';

const production = {
  NODE_ENV: 'production',
  JWT_SECRET: 'x'.repeat(40),
  PERSONAL_DATA_KEY: 'Qxg1wPES+Urd6ZHfSoe/vCxOIh1ObQ8Tzst+AQw5y3g=',
  SEAL_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----',
};

describe('demo users in production', () => {
  it('refuses AUTH_DEMO_USERS=true in production, naming the setting', () => {
    expect(() => loadConfig({ ...production, AUTH_DEMO_USERS: 'true' })).toThrow(ConfigurationError);
    expect(() => loadConfig({ ...production, AUTH_DEMO_USERS: 'true' })).toThrow(
      /AUTH_DEMO_USERS: must not be true/,
    );
  });

  it('starts production without demo users, and allows them elsewhere', () => {
    expect(loadConfig(production).AUTH_DEMO_USERS).toBeUndefined();
    expect(loadConfig({ ...production, AUTH_DEMO_USERS: 'false' }).AUTH_DEMO_USERS).toBe('false');
    expect(loadConfig({ AUTH_DEMO_USERS: 'true' }).AUTH_DEMO_USERS).toBe('true');
  });
});
