import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsISO8601 } from 'class-validator';

/** The platform's time zone: China has one, Beijing time (UTC+8, no daylight saving). */
export const PLATFORM_UTC_OFFSET = '+08:00';

/**
 * A time a person typed, as an instant. `2026-11-27 22:32:03` and `2026-11-27T22:32` are Beijing time, and
 * `2026-11-27` is its midnight — never silently UTC, eight hours off; a time with a zone (`Z`, `+08:00`)
 * is taken as written. Anything else is left for the validator to refuse.
 */
export function toInstant(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const s = value.trim().replace(/^(\d{4}-\d{2}-\d{2})[ T]/, '$1T');
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return new Date(`${s}T00:00:00${PLATFORM_UTC_OFFSET}`).toISOString();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(s)) {
    const d = new Date(`${s}${PLATFORM_UTC_OFFSET}`);
    return Number.isNaN(d.getTime()) ? value : d.toISOString();
  }
  return s;
}

/** A query or body time: read as Beijing time when it names no zone, refused (422) when it is no time. */
export function IsInstant(field: string) {
  return applyDecorators(
    Transform(({ value }) => toInstant(value)),
    IsISO8601(
      { strict: true },
      { message: `${field} 应为时间，如 2026-11-27 22:32:03（北京时间）或 2026-11-27T14:32:03Z` },
    ),
  );
}
