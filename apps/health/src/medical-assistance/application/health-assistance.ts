import { validateResidentId, type AccessLog, type AuthenticatedActor, type Authorizer } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import type { DbExecutor, Loaded } from '@platform/event-store';
import type { PolicyTables, PolicyVersion } from '@platform/policy';
import type { DiseaseEmergencyState } from '../domain/disease-emergency.decider.js';
import type { TableVersion } from '../domain/values.js';
import type { HealthAssistanceQuery, Scope } from '../read-model/health-assistance.query.js';
import type { DiseaseEmergencyStore, MedicalAssistanceStore } from './health-assistance.stores.js';

export { personKeyOf } from './health-assistance.stores.js';

/** What the health assistance command and query handlers work on. */
export interface HealthAssistance {
  medical: MedicalAssistanceStore;
  emergencies: DiseaseEmergencyStore;
  query: HealthAssistanceQuery;
  authz: Authorizer;
  accessLog: AccessLog;
  /** `medical-assistance` and `disease-emergency`, versioned. */
  policy: PolicyTables;
  now: () => Date;
}

export const HEALTH_ASSISTANCE = Symbol('HEALTH_ASSISTANCE');

export { officerOf } from '@platform/assistance-register';

/** A policy version as a decider takes it (its number is recorded in what it decides). */
export const tableVersionOf = <T extends 'medical-assistance' | 'disease-emergency'>(
  v: PolicyVersion<T>,
): TableVersion<PolicyVersion<T>['content']> => ({
  version: v.version,
  effectiveFrom: v.effectiveFrom,
  content: v.content,
});

/** 422 naming the field unless the resident ID is valid on the service's own day (GB 11643-1999). */
export function residentIdOf(idNumber: string, field: string, today: Date): string {
  const id = (idNumber ?? '').trim().toUpperCase();
  const r = validateResidentId(id, today);
  if (!r.valid) throw new DomainError('INVALID_RESIDENT_ID', `${field}：${r.reason}`, 422, { field });
  return id;
}

/** A county of the tree the officer named, or 422 naming the field; 403 when outside their jurisdiction. */
export function countyWithin(
  ctx: HealthAssistance,
  actor: AuthenticatedActor,
  code: string,
  field: string,
  permission: string,
): string {
  const node = ctx.authz.tree.get(code);
  if (!node || node.level !== 'county') {
    throw new DomainError('UNKNOWN_COUNTY', `${field}：${code} 不是已登记的旗县区`, 422, { field });
  }
  ctx.authz.assertWithin(actor, node.code, permission);
  return node.code;
}

/** The actor's reach for lists: their county, the whole city, or (auditors) everything. */
export function scopeOf(ctx: HealthAssistance, actor: AuthenticatedActor, permission: string): Scope {
  if (actor.role === 'auditor') return null;
  const own = ctx.authz.tree.get(actor.jurisdiction);
  if (!own) {
    throw new DomainError('OUT_OF_JURISDICTION', `无权执行此操作（${permission}）：账号的辖区未登记`, 403, {
      permission,
    });
  }
  if (own.level === 'city') return { cityPrefix: own.code.slice(0, 4) };
  return { countyCode: ctx.authz.tree.at(own.code, 'county')?.code ?? own.code };
}

/** A report as it stands: 404 when absent, 403 outside the officer's county (auditors read everything). */
export async function reportFor(
  ctx: HealthAssistance,
  actor: AuthenticatedActor,
  reportId: string,
  permission: string,
  transaction?: DbExecutor,
): Promise<Loaded<DiseaseEmergencyState>> {
  const loaded = await ctx.emergencies.load(reportId, { transaction });
  if (!loaded.state.report) throw new DomainError('REPORT_NOT_FOUND', '疾病应急救助报告不存在', 404);
  if (actor.role !== 'auditor')
    ctx.authz.assertWithin(actor, loaded.state.report.hospital.countyCode, permission);
  return loaded;
}

/** An instant as officers read it, in Beijing time: 2026-11-05T10:00:00+08:00. */
export function beijingTime(at: Date | string): string {
  const ms = (typeof at === 'string' ? Date.parse(at) : at.getTime()) + 8 * 3600_000;
  return `${new Date(ms).toISOString().slice(0, 19)}+08:00`;
}
