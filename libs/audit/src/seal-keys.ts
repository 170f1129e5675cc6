import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A public key an auditor trusts for seals made within its validity period. */
export interface TrustedKey {
  keyId: string;
  publicKey: KeyObject;
  publicKeyPem: string;
  validFrom: Date | null;
  validTo: Date | null;
}

export interface SealSigner {
  keyId: string;
  privateKey: KeyObject;
  publicKeyPem: string;
}

export interface SealKeys {
  /** Null where this process only verifies (the audit CLI without a private key). */
  signer: SealSigner | null;
  trusted: TrustedKey[];
  /** Where the signing key came from: configuration, or a key file kept in the data folder (development). */
  source: 'configured' | 'data-dir' | 'none';
}

export interface SealKeySettings {
  /** PEM (PKCS#8) Ed25519 private key. */
  privateKeyPem?: string;
  keyId?: string;
  /** JSON array of {keyId, publicKey (PEM or base64 SPKI), validFrom?, validTo?}. */
  trustedKeysJson?: string;
  trustedKeysFile?: string;
  /** Development only: keep a generated key in this folder so seals survive restarts. */
  dataDir?: string;
  /** Where no key is configured, create the data-folder key (services) or only read it (verifying CLI). */
  createInDataDir?: boolean;
}

export class SealKeyError extends Error {}

/** `ed25519:` and the first 16 hex digits of the sha256 of the public key (SPKI DER). */
export function keyFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(der).digest('hex').slice(0, 16)}`;
}

function publicPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

function parsePublicKey(text: string, where: string): KeyObject {
  try {
    const key = text.includes('BEGIN PUBLIC KEY')
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
    return key;
  } catch (e) {
    throw new SealKeyError(`${where}: ${(e as Error).message}`);
  }
}

function parseDate(v: unknown, where: string): Date | null {
  if (v === undefined || v === null || v === '') return null;
  const d = new Date(String(v));
  if (Number.isNaN(d.getTime())) throw new SealKeyError(`${where}: not a date: ${String(v)}`);
  return d;
}

export function parseTrustedKeys(json: string, where = 'SEAL_TRUSTED_KEYS'): TrustedKey[] {
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch (e) {
    throw new SealKeyError(`${where}: not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(list)) throw new SealKeyError(`${where}: expected a JSON array of keys`);
  return list.map((item: Record<string, unknown>, i) => {
    const at = `${where}[${i}]`;
    if (!item || typeof item.publicKey !== 'string') throw new SealKeyError(`${at}: publicKey is required`);
    const publicKey = parsePublicKey(item.publicKey, `${at}.publicKey`);
    return {
      keyId: typeof item.keyId === 'string' && item.keyId ? item.keyId : keyFingerprint(publicKey),
      publicKey,
      publicKeyPem: publicPem(publicKey),
      validFrom: parseDate(item.validFrom, `${at}.validFrom`),
      validTo: parseDate(item.validTo, `${at}.validTo`),
    };
  });
}

function signerOf(privateKeyPem: string, keyId: string | undefined, where: string): SealSigner {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(privateKeyPem);
  } catch (e) {
    throw new SealKeyError(`${where}: ${(e as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new SealKeyError(`${where}: must be an Ed25519 key`);
  const publicKey = createPublicKey(privateKey);
  return { keyId: keyId || keyFingerprint(publicKey), privateKey, publicKeyPem: publicPem(publicKey) };
}

/** The data-folder key of a development install: created once, readable by its owner only. */
function dataDirKey(dataDir: string, create: boolean): string | null {
  const file = path.resolve(dataDir, 'seal-key.pem');
  try {
    return readFileSync(file, 'utf8');
  } catch {
    if (!create) return null;
  }
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, pem, { flag: 'wx', mode: 0o600 });
    return pem;
  } catch {
    // Another process created it first: use theirs.
    return readFileSync(file, 'utf8');
  }
}

/**
 * The seal keys of a process: the signing key from configuration (or, in development, a key kept in the
 * data folder) and the keys an auditor trusts. The signing key's own public key is trusted with no limit
 * of validity; every other trusted key comes from configuration with its validity period (rotation).
 */
export function loadSealKeys(settings: SealKeySettings): SealKeys {
  const trusted: TrustedKey[] = [];
  if (settings.trustedKeysJson) trusted.push(...parseTrustedKeys(settings.trustedKeysJson));
  if (settings.trustedKeysFile) {
    let text: string;
    try {
      text = readFileSync(settings.trustedKeysFile, 'utf8');
    } catch (e) {
      throw new SealKeyError(`SEAL_TRUSTED_KEYS_FILE: ${(e as Error).message}`);
    }
    trusted.push(...parseTrustedKeys(text, 'SEAL_TRUSTED_KEYS_FILE'));
  }
  let signer: SealSigner | null = null;
  let source: SealKeys['source'] = 'none';
  if (settings.privateKeyPem) {
    signer = signerOf(settings.privateKeyPem, settings.keyId, 'SEAL_PRIVATE_KEY');
    source = 'configured';
  } else if (settings.dataDir) {
    const pem = dataDirKey(settings.dataDir, settings.createInDataDir ?? false);
    if (pem) {
      signer = signerOf(pem, settings.keyId, `${settings.dataDir}/seal-key.pem`);
      source = 'data-dir';
    }
  }
  if (signer && !trusted.some((k) => k.publicKeyPem === signer.publicKeyPem)) {
    const publicKey = createPublicKey(signer.privateKey);
    trusted.push({
      keyId: signer.keyId,
      publicKey,
      publicKeyPem: signer.publicKeyPem,
      validFrom: null,
      validTo: null,
    });
  }
  return { signer, trusted, source };
}

/** The trusted key a seal names, if it is trusted for the instant the seal was made. */
export function trustedKeyFor(
  keys: SealKeys,
  publicKeyPem: string,
  keyId: string | undefined,
  sealedAt: Date,
): { key: TrustedKey | null; problem: string | null } {
  const normalised = (() => {
    try {
      return publicPem(createPublicKey(publicKeyPem));
    } catch {
      return null;
    }
  })();
  const key = keys.trusted.find((k) => k.publicKeyPem === normalised);
  if (!key) {
    return {
      key: null,
      problem: `签名密钥不在受信任密钥列表中（${normalised ? keyFingerprint(createPublicKey(normalised)) : '无法解析的公钥'}）`,
    };
  }
  if (keyId && keyId !== key.keyId) {
    return { key: null, problem: `封印声明的密钥编号 ${keyId} 与受信任密钥 ${key.keyId} 不符` };
  }
  if ((key.validFrom && sealedAt < key.validFrom) || (key.validTo && sealedAt > key.validTo)) {
    return { key: null, problem: `封印时间不在密钥 ${key.keyId} 的有效期内` };
  }
  return { key, problem: null };
}
