/**
 * An instant as an officer reads it: Beijing wall time to the minute, `2026-11-27 10:00` (UTC+8, no
 * daylight saving). One definition for every view and printed document that shows a time.
 */
export function beijingMinute(at: Date | string): string {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}
