import { randomFillSync } from 'node:crypto';

// Random bytes are drawn 4 KiB at a time (as crypto.randomUUID does): one call per 256 ids instead of
// one per id, which showed in append profiles.
const POOL = Buffer.alloc(4096);
let offset = POOL.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** RFC 9562 UUID version 7: time-ordered, so ids sort roughly by creation. */
export function uuidv7(now: number = Date.now()): string {
  if (offset + 10 > POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const r = POOL;
  const o = offset;
  offset += 10;
  // 48-bit milliseconds, big-endian: the high 16 bits and the low 32 bits as plain numbers.
  const high = Math.floor(now / 2 ** 32);
  const low = now >>> 0;
  const h = (b: number) => HEX[b & 0xff]!;
  return (
    h(high >>> 8) +
    h(high) +
    h(low >>> 24) +
    h(low >>> 16) +
    '-' +
    h(low >>> 8) +
    h(low) +
    '-' +
    h(0x70 | (r[o]! & 0x0f)) +
    h(r[o + 1]!) +
    '-' +
    h(0x80 | (r[o + 2]! & 0x3f)) +
    h(r[o + 3]!) +
    '-' +
    h(r[o + 4]!) +
    h(r[o + 5]!) +
    h(r[o + 6]!) +
    h(r[o + 7]!) +
    h(r[o + 8]!) +
    h(r[o + 9]!)
  );
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
