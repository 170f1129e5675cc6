import { readFileSync } from 'node:fs';
import type { SASLOptions } from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';

/** The settings of libs/config that say how to reach the brokers (README, "Security", "Kafka"). */
export interface KafkaSecuritySettings {
  KAFKA_SECURITY?: 'plaintext' | 'ssl' | 'sasl_ssl';
  KAFKA_SSL_CA_FILE?: string;
  KAFKA_SSL_CERT_FILE?: string;
  KAFKA_SSL_KEY_FILE?: string;
  KAFKA_SASL_MECHANISM: 'scram-sha-512' | 'scram-sha-256' | 'plain';
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  KAFKA_SASL_PASSWORD_FILE?: string;
}

/** TLS and SASL options for a kafkajs client. */
export interface KafkaConnection {
  ssl?: ConnectionOptions | boolean;
  sasl?: SASLOptions;
}

function read(setting: string, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(
      `${setting}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { cause: e },
    );
  }
}

/**
 * kafkajs options for the configured security: files are read once here, so a missing or unreadable one
 * stops the service at start with the setting's name. Certificates are always verified (host name too).
 */
export function kafkaConnectionOf(s: KafkaSecuritySettings): KafkaConnection {
  const security = s.KAFKA_SECURITY ?? 'plaintext';
  if (security === 'plaintext') return {};
  const ssl: ConnectionOptions = { rejectUnauthorized: true };
  if (s.KAFKA_SSL_CA_FILE) ssl.ca = [read('KAFKA_SSL_CA_FILE', s.KAFKA_SSL_CA_FILE)];
  if (s.KAFKA_SSL_CERT_FILE) ssl.cert = read('KAFKA_SSL_CERT_FILE', s.KAFKA_SSL_CERT_FILE);
  if (s.KAFKA_SSL_KEY_FILE) ssl.key = read('KAFKA_SSL_KEY_FILE', s.KAFKA_SSL_KEY_FILE);
  if (security === 'ssl') return { ssl };
  const password =
    s.KAFKA_SASL_PASSWORD ??
    read('KAFKA_SASL_PASSWORD_FILE', s.KAFKA_SASL_PASSWORD_FILE!).replace(/\r?\n$/, '');
  return {
    ssl,
    sasl: { mechanism: s.KAFKA_SASL_MECHANISM, username: s.KAFKA_SASL_USERNAME!, password } as SASLOptions,
  };
}
