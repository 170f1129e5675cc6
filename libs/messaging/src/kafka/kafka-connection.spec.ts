import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { kafkaConnectionOf } from './kafka-connection.js';

describe('kafkaConnectionOf', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kafka-conn-'));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text, { mode: 0o600 });
    return p;
  };
  const base = { KAFKA_SASL_MECHANISM: 'scram-sha-512' as const };

  it('is plaintext unless told otherwise', () => {
    expect(kafkaConnectionOf(base)).toEqual({});
  });

  it('verifies the brokers’ certificates against the given CA and logs in with the password file’s first line', () => {
    const c = kafkaConnectionOf({
      ...base,
      KAFKA_SECURITY: 'sasl_ssl',
      KAFKA_SSL_CA_FILE: file('ca.pem', '-----BEGIN CERTIFICATE-----\n'),
      KAFKA_SASL_USERNAME: 'health',
      KAFKA_SASL_PASSWORD_FILE: file('health.password', 'efd7eaaddf333e2a\n'),
    });
    expect(c.ssl).toEqual({ rejectUnauthorized: true, ca: ['-----BEGIN CERTIFICATE-----\n'] });
    expect(c.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'health', password: 'efd7eaaddf333e2a' });
  });

  it('stops at start naming the setting whose file cannot be read', () => {
    expect(() =>
      kafkaConnectionOf({
        ...base,
        KAFKA_SECURITY: 'sasl_ssl',
        KAFKA_SASL_USERNAME: 'health',
        KAFKA_SASL_PASSWORD_FILE: path.join(dir, 'missing'),
      }),
    ).toThrow(/^KAFKA_SASL_PASSWORD_FILE: cannot read .*missing \(ENOENT\)/);
    expect(() =>
      kafkaConnectionOf({ ...base, KAFKA_SECURITY: 'ssl', KAFKA_SSL_CA_FILE: dir + '/nope.pem' }),
    ).toThrow(/^KAFKA_SSL_CA_FILE/);
  });
});
