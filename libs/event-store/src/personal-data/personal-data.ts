// Personal data in events at rest: each stream's personal values are sealed (AES-256-GCM) with a key of
// that stream — a household's case, a referral, a student's file — held outside the event tables. Erasing
// a person deletes the keys of every stream that names their ID number: their values can no longer be
// read anywhere, while the events, their hashes, the chains and the seals stay as they were (they were
// computed over the sealed form). See docs/personal-data.md.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import pg, { type Pool } from 'pg';
import type { Migration } from '../postgres/migrations.js';
import { withSnapshot } from '../postgres/transaction.js';
import { quoteIdent } from '../postgres/migrations.js';
import {
  envelopesOf,
  ERASED,
  keysToSeal,
  openPersonalFields,
  sealPersonalFields,
  type SealedEnvelope,
} from './personal-fields.js';

/** `personal_data`, or `<DATABASE_SCHEMA_PREFIX>_personal_data`: one key store for every service of a database. */
export function personalDataSchemaOf(prefix: string | undefined): string {
  return prefix ? `${prefix}_personal_data` : 'personal_data';
}

/**
 * Keys and the subject index are insert-only for the services, the erasures theirs to read only
 * (`grantServiceRole` reads the comments): only the owner role — the erasure command — erases a key.
 */
export const PERSONAL_DATA_MIGRATIONS: Migration[] = [
  {
    id: 'personal-data/001-keys',
    sql: (s) => `
      CREATE TABLE ${s}.keys (
        -- case:<case id> (a household's case, in every department) or <schema>:<stream> (anything else)
        key_id text PRIMARY KEY,
        -- the data key, wrapped with PERSONAL_DATA_KEY (aes-256-gcm) or bare ('none', development);
        -- gone once erased: the row stays as a tombstone, so an erased case is never given a new key
        wrapped bytea,
        wrapping text NOT NULL CHECK (wrapping IN ('aes-256-gcm', 'none')),
        created_at timestamptz NOT NULL DEFAULT now(),
        erased_at timestamptz,
        CHECK ((wrapped IS NULL) = (erased_at IS NOT NULL))
      );
      COMMENT ON TABLE ${s}.keys IS 'insert-only: services add keys; only the owner (erasure) erases one';
      CREATE TABLE ${s}.subjects (
        -- HMAC of a resident ID number met in a value sealed with the key
        person text NOT NULL,
        key_id text NOT NULL,
        PRIMARY KEY (person, key_id)
      );
      COMMENT ON TABLE ${s}.subjects IS 'insert-only: services add entries';
      CREATE TABLE ${s}.erasures (
        erasure_id bigserial PRIMARY KEY,
        person text NOT NULL,
        key_ids text[] NOT NULL,
        erased_by text NOT NULL,
        reason text NOT NULL,
        erased_at timestamptz NOT NULL DEFAULT now()
      );
      COMMENT ON TABLE ${s}.erasures IS 'owner-writes: the record of each erasure, written by the erasure command';`,
  },
];

export interface PersonalDataOptions {
  /** The service pool: the key store gets a small pool of its own with the same connection. */
  pool: Pool;
  /** The key store's schema (`personalDataSchemaOf`). */
  schema: string;
  /** PERSONAL_DATA_KEY: 32 bytes that wrap every data key. Without it (development) keys are stored bare. */
  masterKey?: Buffer;
  /** How long a key (or its absence) is trusted without asking the store again; an erasure takes this long to reach a running service. */
  cacheMs?: number;
  now?: () => number;
}

const GCM_IV = 12;
const GCM_TAG = 16;
const NO_MASTER_INDEX_KEY = Buffer.from('personal-data subject index (no PERSONAL_DATA_KEY)', 'utf8');

/** Event logs whose personal values are sealed: every department's, not the staff directory or the policy tables. */
export function sealsSchema(schema: string): boolean {
  return !/(^|_)(identity|policy)$/.test(schema);
}

export class PersonalDataProtection {
  readonly schema: string;
  private readonly keysPool: Pool;
  private readonly table: string;
  private readonly subjects: string;
  private readonly cacheMs: number;
  private readonly now: () => number;
  private readonly indexKey: Buffer;
  private readonly cache = new Map<string, { key: Buffer | null; at: number }>();
  private readonly indexed = new Set<string>();

  constructor(private readonly o: PersonalDataOptions) {
    if (o.masterKey && o.masterKey.length !== 32) throw new Error('PERSONAL_DATA_KEY must be 32 bytes');
    this.schema = o.schema;
    const s = quoteIdent(o.schema);
    this.table = `${s}.keys`;
    this.subjects = `${s}.subjects`;
    this.cacheMs = o.cacheMs ?? 30_000;
    this.now = o.now ?? Date.now;
    this.indexKey = o.masterKey
      ? Buffer.from(hkdfSync('sha256', o.masterKey, Buffer.alloc(0), 'personal-data subject index', 32))
      : NO_MASTER_INDEX_KEY;
    // Keys are made outside the caller's transaction (a rolled-back key must not stay cached) and
    // never from the service pool, whose connections the caller's transactions may all be holding.
    this.keysPool = new pg.Pool({ ...o.pool.options, max: 6, application_name: 'social-assistance-keys' });
    this.keysPool.on('error', () => undefined);
  }

  async close(): Promise<void> {
    await this.keysPool.end();
  }

  /** The index entry of a resident ID number (what `erasePerson` looks for). */
  personOf(idNumber: string): string {
    return createHmac('sha256', this.indexKey).update(idNumber.trim().toUpperCase()).digest('hex');
  }

  keyIdOf(schema: string, streamId: string): string {
    return `${schema}:${streamId}`;
  }

  /**
   * `data` as it is to be stored: personal values sealed with their household's key (`case:<id>`, shared by
   * every department's copy of the case) or, outside any case, the stream's; indexed by ID number.
   */
  async seal(schema: string, streamId: string, data: unknown): Promise<unknown> {
    // Event data is an object (the envelopes sit beside its fields); anything else is stored as it is.
    if (!sealsSchema(schema) || typeof data !== 'object' || data === null || Array.isArray(data)) return data;
    const streamKey = this.keyIdOf(schema, streamId);
    const needed = keysToSeal(data, streamKey);
    if (needed.size === 0) return data;
    const keys = new Map<string, Buffer | null>();
    const entries = new Set<string>();
    for (const [keyId, ids] of needed) {
      const people = [...ids].map((id) => this.personOf(id));
      const key = await this.keyForWriting(keyId, people);
      keys.set(keyId, key);
      if (key) for (const p of people) entries.add(`${p}|${keyId}`);
    }
    // A key made just now indexed its people with it; a cached key may meet a new member.
    await this.index(entries);
    const order = [...keys.keys()].filter((k) => keys.get(k));
    const values: unknown[][] = order.map(() => []);
    // A household already erased stays erased: what still arrives for it (a message in flight, a replay)
    // is recorded without its personal values.
    const sealed = sealPersonalFields(data, streamKey, (v, keyId) => {
      const i = order.indexOf(keyId);
      if (i < 0) return ERASED;
      values[i]!.push(v);
      return { $p: [i, values[i]!.length - 1] };
    }) as Record<string, unknown>;
    if (order.length === 0) return sealed;
    const $pd: SealedEnvelope[] = order.map((k, i) => ({
      k,
      v: gcmSeal(keys.get(k)!, k, Buffer.from(JSON.stringify(values[i]), 'utf8')).toString('base64'),
    }));
    return { ...sealed, $pd };
  }

  /** Each item's data with its sealed values opened (erased ones read `（已删除）`). */
  async open(items: Array<{ data: unknown }>): Promise<unknown[]> {
    const keyIds = new Set<string>();
    for (const i of items) for (const e of envelopesOf(i.data) ?? []) keyIds.add(e.k);
    if (keyIds.size === 0) return items.map((i) => i.data);
    const keys = await this.keysForReading([...keyIds]);
    return items.map((item) => {
      const envelopes = envelopesOf(item.data);
      if (!envelopes) return item.data;
      const opened = envelopes.map((e) => this.decrypt(keys.get(e.k) ?? null, e));
      return openPersonalFields(item.data, (i) => opened[i] ?? null);
    });
  }

  /**
   * Refuses a PERSONAL_DATA_KEY that does not unwrap the stored keys: an erasure under the wrong key would
   * look the person up under the wrong index and silently find nothing.
   */
  async checkMasterKey(): Promise<void> {
    const { rows } = await this.keysPool.query<{ key_id: string; wrapped: Buffer; wrapping: string }>(
      `SELECT key_id, wrapped, wrapping FROM ${this.table} WHERE erased_at IS NULL ORDER BY created_at DESC LIMIT 1`,
    );
    if (rows[0]) this.unwrap(rows[0].key_id, rows[0].wrapped, rows[0].wrapping);
  }

  /** Drops what this process remembers of these keys (the erasure command, in its own process). */
  forget(keyIds: string[]): void {
    for (const k of keyIds) this.cache.delete(k);
  }

  private fresh(keyId: string): { key: Buffer | null } | undefined {
    const c = this.cache.get(keyId);
    if (c && this.now() - c.at < this.cacheMs) return c;
    return undefined;
  }

  private remember(keyId: string, key: Buffer | null): void {
    if (this.cache.size >= 50_000) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(keyId, { key, at: this.now() });
  }

  /** The key to seal with; null: the key was erased (the household stays forgotten). */
  private async keyForWriting(keyId: string, people: string[]): Promise<Buffer | null> {
    const known = this.fresh(keyId);
    if (known) return known.key;
    const fresh = randomBytes(32);
    const { wrapped, wrapping } = this.wrap(keyId, fresh);
    // The key a concurrent writer made first wins; ours is then dropped. One round trip: the insert (with
    // the index entries of the values about to be sealed), or the row that was there (a row a concurrent
    // writer is still committing is read after it).
    let { rows } = await this.keysPool.query<{ wrapped: Buffer | null; wrapping: string }>(
      `WITH made AS (
         INSERT INTO ${this.table} (key_id, wrapped, wrapping) VALUES ($1, $2, $3)
         ON CONFLICT (key_id) DO NOTHING RETURNING wrapped, wrapping),
       indexed AS (
         INSERT INTO ${this.subjects} (person, key_id) SELECT unnest($4::text[]), $1 ON CONFLICT DO NOTHING)
       SELECT wrapped, wrapping FROM made
       UNION ALL SELECT wrapped, wrapping FROM ${this.table} WHERE key_id = $1 AND NOT EXISTS (SELECT 1 FROM made)`,
      [keyId, wrapped, wrapping, people],
    );
    for (const p of people) this.indexed.add(`${p}|${keyId}`);
    if (!rows[0]) {
      ({ rows } = await this.keysPool.query<{ wrapped: Buffer | null; wrapping: string }>(
        `SELECT wrapped, wrapping FROM ${this.table} WHERE key_id = $1`,
        [keyId],
      ));
    }
    if (!rows[0]) throw new Error(`personal data key ${keyId} vanished while being made`);
    const key = rows[0].wrapped ? this.unwrap(keyId, rows[0].wrapped, rows[0].wrapping) : null;
    this.remember(keyId, key);
    return key;
  }

  private async keysForReading(keyIds: string[]): Promise<Map<string, Buffer | null>> {
    const out = new Map<string, Buffer | null>();
    const missing: string[] = [];
    for (const k of keyIds) {
      const known = this.fresh(k);
      if (known) out.set(k, known.key);
      else missing.push(k);
    }
    if (missing.length > 0) {
      const { rows } = await this.keysPool.query<{
        key_id: string;
        wrapped: Buffer | null;
        wrapping: string;
      }>(`SELECT key_id, wrapped, wrapping FROM ${this.table} WHERE key_id = ANY($1::text[])`, [missing]);
      for (const r of rows) {
        // An erased key (a tombstone) is remembered as erased; a key never made is not remembered.
        const key = r.wrapped ? this.unwrap(r.key_id, r.wrapped, r.wrapping) : null;
        this.remember(r.key_id, key);
        out.set(r.key_id, key);
      }
    }
    return out;
  }

  /** Adds `person|keyId` entries to the subject index (each once per process). */
  private async index(entries: Set<string>): Promise<void> {
    const fresh = [...entries].filter((e) => !this.indexed.has(e));
    if (fresh.length === 0) return;
    await this.keysPool.query(
      `INSERT INTO ${this.subjects} (person, key_id)
       SELECT split_part(e, '|', 1), substr(e, strpos(e, '|') + 1) FROM unnest($1::text[]) e
       ON CONFLICT DO NOTHING`,
      [fresh],
    );
    if (this.indexed.size >= 100_000) this.indexed.clear();
    for (const e of fresh) this.indexed.add(e);
  }

  private wrap(keyId: string, key: Buffer): { wrapped: Buffer; wrapping: string } {
    if (!this.o.masterKey) return { wrapped: key, wrapping: 'none' };
    return { wrapped: gcmSeal(this.o.masterKey, keyId, key), wrapping: 'aes-256-gcm' };
  }

  private unwrap(keyId: string, wrapped: Buffer, wrapping: string): Buffer {
    if (wrapping === 'none') {
      // With PERSONAL_DATA_KEY set, a bare key is one someone with the database role planted to read
      // what is sealed with it next, or a development database: either way, refused.
      if (this.o.masterKey) {
        throw new Error(
          `PERSONAL_DATA_KEY is set, but the key of ${keyId} is stored unwrapped: refused (a key made without PERSONAL_DATA_KEY, or planted)`,
        );
      }
      return wrapped;
    }
    if (!this.o.masterKey) {
      throw new Error(
        `PERSONAL_DATA_KEY is not set, but the key of ${keyId} is wrapped with it: set the key the data was written with`,
      );
    }
    const key = gcmOpen(this.o.masterKey, keyId, wrapped);
    if (!key)
      throw new Error(
        `PERSONAL_DATA_KEY does not unwrap the key of ${keyId}: it is not the key the data was written with`,
      );
    return key;
  }

  /** An envelope's values; null when its key was erased. */
  private decrypt(key: Buffer | null, envelope: SealedEnvelope): unknown[] | null {
    if (!key) return null;
    const plain = gcmOpen(key, envelope.k, Buffer.from(envelope.v, 'base64'));
    // A live key that does not open the values: they were not sealed here (damaged or forged), not erased.
    if (!plain)
      throw new Error(`sealed values under ${envelope.k} do not open with its key: damaged or forged`);
    return JSON.parse(plain.toString('utf8')) as unknown[];
  }
}

function gcmSeal(key: Buffer, aad: string, plain: Buffer): Buffer {
  const iv = randomBytes(GCM_IV);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  return Buffer.concat([iv, c.update(plain), c.final(), c.getAuthTag()]);
}

function gcmOpen(key: Buffer, aad: string, sealed: Buffer): Buffer | null {
  if (sealed.length < GCM_IV + GCM_TAG) return null;
  try {
    const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, GCM_IV));
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(sealed.subarray(sealed.length - GCM_TAG));
    return Buffer.concat([d.update(sealed.subarray(GCM_IV, sealed.length - GCM_TAG)), d.final()]);
  } catch {
    return null;
  }
}

const registry = new WeakMap<Pool, PersonalDataProtection>();

/** Every event store on `pool` seals and opens personal values with `protection` from now on. */
export function protectPersonalData(pool: Pool, protection: PersonalDataProtection): void {
  registry.set(pool, protection);
}

export function personalDataOf(pool: Pool): PersonalDataProtection | undefined {
  return registry.get(pool);
}

/** The protection of each event log (schema) an event store of this process seals. */
const bySchema = new Map<string, PersonalDataProtection>();

export function rememberSealedSchema(schema: string, protection: PersonalDataProtection): void {
  if (sealsSchema(schema)) bySchema.set(schema, protection);
}

/**
 * For readers of an event table in plain SQL: each row's data with its personal values opened. Rows of a
 * log no store of this process seals are returned as they are.
 */
export async function openEventData(schema: string, rows: Array<{ data: unknown }>): Promise<unknown[]> {
  const protection = bySchema.get(schema);
  if (protection) return protection.open(rows);
  if (rows.some((r) => envelopesOf(r.data))) {
    throw new Error(`${schema}: sealed personal data, but no event store of this process opens this log`);
  }
  return rows.map((r) => r.data);
}

/** What `erasePerson` would erase, without erasing it: the keys still live that name the person. */
export async function keysNaming(
  pool: Pool,
  protection: PersonalDataProtection,
  idNumber: string,
): Promise<string[]> {
  const s = quoteIdent(protection.schema);
  const { rows } = await pool.query<{ key_id: string }>(
    `SELECT k.key_id FROM ${s}.keys k JOIN ${s}.subjects x ON x.key_id = k.key_id
      WHERE x.person = $1 AND k.erased_at IS NULL ORDER BY 1`,
    [protection.personOf(idNumber)],
  );
  return rows.map((r) => r.key_id);
}

export interface ErasureResult {
  /** The streams (schema:stream) whose keys were deleted. */
  keyIds: string[];
  erasureId: string;
}

/**
 * Forgets a person: deletes the key of every stream whose sealed values name their ID number, and records
 * who did it and why. Needs the owner role (services may not delete keys). The events stay, sealed.
 */
export async function erasePerson(
  ownerPool: Pool,
  protection: PersonalDataProtection,
  idNumber: string,
  erasedBy: string,
  reason: string,
): Promise<ErasureResult> {
  const s = quoteIdent(protection.schema);
  const person = protection.personOf(idNumber);
  const client = await ownerPool.connect();
  try {
    await client.query('BEGIN');
    // Every key that sealed a value naming the person: their households' cases, everywhere. The key
    // material goes; the row stays as a tombstone.
    const { rows } = await client.query<{ key_id: string }>(
      `UPDATE ${s}.keys k SET wrapped = NULL, erased_at = now()
         FROM ${s}.subjects x
        WHERE x.person = $1 AND x.key_id = k.key_id AND k.erased_at IS NULL
        RETURNING k.key_id`,
      [person],
    );
    const keyIds = rows.map((r) => r.key_id).sort();
    const {
      rows: [erasure],
    } = await client.query<{ erasure_id: string }>(
      `INSERT INTO ${s}.erasures (person, key_ids, erased_by, reason) VALUES ($1, $2, $3, $4) RETURNING erasure_id::text`,
      [person, keyIds, erasedBy, reason],
    );
    await client.query('COMMIT');
    protection.forget(keyIds);
    return { keyIds, erasureId: erasure!.erasure_id };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/**
 * For command-line tools on a pool of their own: the protection the services use (PERSONAL_DATA_KEY and
 * DATABASE_SCHEMA_PREFIX from the environment), registered for `pool` and for the logs they read.
 */
export function protectPersonalDataFromEnvironment(
  pool: Pool,
  eventSchemas: string[],
  env: NodeJS.ProcessEnv = process.env,
): PersonalDataProtection {
  const key = env.PERSONAL_DATA_KEY?.trim();
  const masterKey = key ? Buffer.from(key, 'base64') : undefined;
  if (masterKey && masterKey.length !== 32) throw new Error('PERSONAL_DATA_KEY: expected 32 bytes in base64');
  const protection = new PersonalDataProtection({
    pool,
    schema: personalDataSchemaOf(env.DATABASE_SCHEMA_PREFIX || undefined),
    masterKey,
    cacheMs: personalDataCacheMs(env),
  });
  protectPersonalData(pool, protection);
  for (const s of eventSchemas) rememberSealedSchema(s, protection);
  return protection;
}

/** PERSONAL_DATA_CACHE_MS as the services read it (30 s unless set). */
export function personalDataCacheMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.PERSONAL_DATA_CACHE_MS);
  return Number.isInteger(ms) && ms > 0 ? ms : 30_000;
}

export interface ErasureRecord {
  erasureId: string;
  /** A short reference of the erased person's index entry (never their ID number). */
  personRef: string;
  /** How many households' cases and other streams were forgotten. */
  keys: number;
  erasedBy: string;
  reason: string;
  erasedAt: string;
}

/** The erasures made so far, newest first, a page and the total from one snapshot. */
export async function listErasures(
  pool: Pool,
  schema: string,
  page: number,
  pageSize: number,
): Promise<{ items: ErasureRecord[]; total: number; page: number; pageSize: number }> {
  const t = `${quoteIdent(schema)}.erasures`;
  const [total, rows] = await withSnapshot(pool, async (tx) => {
    const n = Number((await tx.query<{ n: string }>(`SELECT count(*) AS n FROM ${t}`)).rows[0]!.n);
    const { rows } = await tx.query<{
      erasure_id: string;
      person: string;
      keys: number;
      erased_by: string;
      reason: string;
      erased_at: Date;
    }>(
      `SELECT erasure_id::text, person, cardinality(key_ids) AS keys, erased_by, reason, erased_at
         FROM ${t} ORDER BY erasure_id DESC LIMIT $1 OFFSET $2`,
      [pageSize, (page - 1) * pageSize],
    );
    return [n, rows] as const;
  });
  return {
    items: rows.map((r) => ({
      erasureId: r.erasure_id,
      personRef: r.person.slice(0, 12),
      keys: r.keys,
      erasedBy: r.erased_by,
      reason: r.reason,
      erasedAt: r.erased_at.toISOString(),
    })),
    total,
    page,
    pageSize,
  };
}
