import { DomainError } from '@platform/contracts';

/** 社会力量参与社会救助: who provides, what they offer, and the shared checks of the three aggregates. */

export const PROVIDER_KINDS = ['social_organisation', 'social_worker', 'volunteer'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export const PROVIDER_KIND_NAMES: Record<ProviderKind, string> = {
  social_organisation: '社会组织',
  social_worker: '社会工作者',
  volunteer: '志愿者',
};

/** The services social forces offer (§六(三)): a fixed list. */
export const SERVICE_KINDS = ['daily_care', 'counselling', 'resource_linking', 'capacity_building'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];
export const SERVICE_KIND_NAMES: Record<ServiceKind, string> = {
  daily_care: '生活照料',
  counselling: '心理疏导',
  resource_linking: '资源链接',
  capacity_building: '能力提升',
};

export const serviceKindList = SERVICE_KINDS.map((k) => `${k}（${SERVICE_KIND_NAMES[k]}）`).join('、');
export const providerKindList = PROVIDER_KINDS.map((k) => `${k}（${PROVIDER_KIND_NAMES[k]}）`).join('、');

/** No purchased-service project nears this (yuan); larger figures are typing errors. */
export const MAX_BUDGET = 100_000_000;

export interface Officer {
  id: string;
  name: string;
  role: string;
}

export function err(
  code: string,
  message: string,
  status: 403 | 404 | 409 | 422 = 422,
  details: Record<string, unknown> = {},
): never {
  throw new DomainError(code, message, status, details);
}

export const fen = (yuan: number) => Math.round(yuan * 100);
/** Yuan as officers read them: 2070, 2070.5 → 2070.50. */
export const yuanText = (yuan: number) => (Number.isInteger(yuan) ? String(yuan) : yuan.toFixed(2));

/** The Beijing calendar day of an instant. */
export function beijingDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

export function isCalendarDay(day: unknown): day is string {
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

export function required(value: unknown, field: string, label: string, max = 5000): string {
  const v = typeof value === 'string' ? value.trim() : '';
  if (!v) err('FIELD_REQUIRED', `${field}：${label}不能为空`, 422, { field });
  if (v.length > max) err('FIELD_TOO_LONG', `${field}：${label}不能超过${max}个字`, 422, { field });
  return v;
}

export function day(value: unknown, field: string, label: string): string {
  if (!isCalendarDay(value))
    err('INVALID_DATE', `${field}：${label}应为有效日期（YYYY-MM-DD）`, 422, { field });
  return value;
}

/** A non-negative amount in whole fen (positive unless `zero`): 422 naming the field otherwise. */
export function amountOf(value: unknown, field: string, label: string, zero = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!zero && value === 0)) {
    err('INVALID_AMOUNT', `${field}：${label}应为${zero ? '不小于' : '大于'} 0 的金额（元）`, 422, { field });
  }
  if (Math.abs(value * 100 - fen(value)) > 1e-6) {
    err('INVALID_AMOUNT', `${field}：${label}最多保留两位小数（精确到分）`, 422, { field });
  }
  if (value > MAX_BUDGET)
    err('INVALID_AMOUNT', `${field}：${label}不能超过 ${MAX_BUDGET} 元`, 422, { field });
  return fen(value) / 100;
}

export function serviceKindsOf(values: unknown, field: string): ServiceKind[] {
  if (!Array.isArray(values) || values.length === 0) {
    err('NO_SERVICES', `${field}：至少提供一项服务（${serviceKindList}）`, 422, { field });
  }
  const out: ServiceKind[] = [];
  values.forEach((v, i) => {
    if (!(SERVICE_KINDS as readonly string[]).includes(v as string)) {
      err('UNKNOWN_SERVICE', `${field}[${i}]：服务应为 ${serviceKindList} 之一`, 422, {
        field: `${field}[${i}]`,
      });
    }
    if (!out.includes(v as ServiceKind)) out.push(v as ServiceKind);
  });
  return out;
}
