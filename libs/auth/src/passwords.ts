import { ServiceUnavailableException } from '@nestjs/common';
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ConcurrencyGate, GateFullError } from './concurrency-gate.js';

/**
 * scrypt runs on libuv's thread pool (UV_THREADPOOL_SIZE, 4 by default), which DNS lookups and file
 * access share: at most one thread fewer than the pool (and no more than the CPUs) hash at once, so a
 * login flood cannot take every thread or every core.
 */
export const PASSWORD_HASH_CONCURRENCY = Math.max(
  1,
  Math.min(availableParallelism(), (Number(process.env.UV_THREADPOOL_SIZE) || 4) - 1),
);
/** Hashes waiting beyond those running; past this a request is refused at once (503), not queued. */
export const PASSWORD_HASH_QUEUE = 32;

const gate = new ConcurrencyGate(PASSWORD_HASH_CONCURRENCY, PASSWORD_HASH_QUEUE);

/** Too many password hashes running and waiting: 503, try again in a moment. */
export class PasswordHashingBusyError extends ServiceUnavailableException {
  constructor() {
    super({ code: 'PASSWORD_HASHING_BUSY', message: '服务繁忙，请稍后再试' });
  }
}

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  gate
    .run(
      () =>
        new Promise<Buffer>((resolve, reject) =>
          scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
        ),
    )
    .catch((e: unknown) => {
      throw e instanceof GateFullError ? new PasswordHashingBusyError() : e;
    });

/** How many password hashes run and wait now. */
export function passwordHashingLoad(): { running: number; queued: number } {
  return gate.stats();
}

// scrypt: a memory-hard slow hash from Node's own crypto (no native add-on to install).
const N = 2 ** 15;
const r = 8;
const p = 1;
const KEYLEN = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, rr, pp, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(rr),
    p: Number(pp),
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(expected, actual);
}
