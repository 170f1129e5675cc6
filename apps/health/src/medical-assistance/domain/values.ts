import { fail } from '@platform/assistance-domain';

/**
 * Money and calendar values of the health domain: the departments' shared ones
 * (`@platform/assistance-domain`) are re-exported so that the domain imports them from one place; below,
 * the ones only health uses. Money is integer fen inside the domain and yuan at its edges (commands, answers).
 */
export * from '@platform/assistance-domain';

/** Yuan from a command to fen: refused, never rounded, when negative or finer than the fen. */
export function fenOf(yuan: number, field: string, label: string): number {
  if (typeof yuan !== 'number' || !Number.isFinite(yuan) || yuan < 0) {
    fail('AMOUNT_INVALID', `${field}：${label}应为不小于 0 的金额（元）`, 422, { field });
  }
  const fen = Math.round(yuan * 100);
  if (Math.abs(fen - yuan * 100) > 1e-6) {
    fail('AMOUNT_INVALID', `${field}：${label}最多保留两位小数（到分）`, 422, { field });
  }
  return fen;
}

/** As an officer reads an amount: 1234.5 → "1234.50元". */
export const yuanText = (fen: number) => `${(fen / 100).toFixed(2)}元`;

/** `percent`% of `fen`, rounded half up to the fen. */
export const percentOf = (fen: number, percent: number) => Math.floor((fen * percent + 50) / 100);
