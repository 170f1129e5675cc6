import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { maskIdNumber, maskName, type AuthenticatedActor } from '@platform/auth';
import {
  answerVerification,
  PROGRAMME_NAMES,
  type HealthProgramme,
  type HealthRegisterEntry,
  type HealthVerificationAnswer,
} from '../../domain/assistance-register.js';
import { beijingDayOf, isDay, yuanOf, fail } from '../../domain/values.js';
import type { HealthRegisterRow } from '../../read-model/health-assistance.entities.js';
import {
  countyWithin,
  HEALTH_ASSISTANCE,
  personKeyOf,
  residentIdOf,
  scopeOf,
  type HealthAssistance,
} from '../health-assistance.js';
import type { Page } from './medical-assistance-queries.js';

export interface RegisterItem {
  programme: string;
  programmeName: string;
  personName: string | null;
  personIdNumber: string | null;
  householdId: string | null;
  date: string;
  amountYuan: number;
  medicalCostYuan: number;
  personalPaymentYuan: number;
  seriousIllness: boolean;
  decisionReference: string;
  countyCode: string;
  countyName: string;
  hospital: string;
}

function itemOf(ctx: HealthAssistance, row: HealthRegisterRow, full: boolean): RegisterItem {
  return {
    programme: row.programme,
    programmeName: PROGRAMME_NAMES[row.programme as HealthProgramme] ?? row.programme,
    // A list masks names as it masks ID numbers; the lookup by ID number (access-logged) shows them whole.
    personName: row.personName && !full ? maskName(row.personName) : row.personName,
    personIdNumber: row.personIdNumber && !full ? maskIdNumber(row.personIdNumber) : row.personIdNumber,
    householdId: row.householdId,
    date: row.date,
    amountYuan: yuanOf(row.amountFen),
    medicalCostYuan: yuanOf(row.medicalCostFen),
    personalPaymentYuan: yuanOf(row.personalPaymentFen),
    seriousIllness: row.seriousIllness,
    decisionReference: row.decisionReference,
    countyCode: row.countyCode,
    countyName: ctx.authz.tree.get(row.countyCode)?.name ?? row.countyCode,
    hospital: row.hospital,
  };
}

export interface RegisterLookup {
  /** Exactly what a household verification on `asOf` would be answered. */
  answer: HealthVerificationAnswer;
  /** Every entry of the register for the members, newest first, with full ID numbers. */
  entries: RegisterItem[];
}

/**
 * 救助台账查询 by a household's members' ID numbers: the entries, and the answer household verification
 * would give on the day — from the same rows, through the same pure function. Each member looked up is
 * recorded in the access log.
 */
export class LookupHealthRegisterQuery extends Query<RegisterLookup> {
  readonly permission = 'health-register:lookup';

  constructor(
    readonly actor: AuthenticatedActor,
    readonly memberIdNumbers: string[],
    readonly asOf: string | null,
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(LookupHealthRegisterQuery)
export class LookupHealthRegisterHandler implements IQueryHandler<LookupHealthRegisterQuery> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  async execute({
    actor,
    memberIdNumbers,
    asOf,
    purpose,
  }: LookupHealthRegisterQuery): Promise<RegisterLookup> {
    const { ctx } = this;
    const now = ctx.now();
    const day = asOf ?? beijingDayOf(now.toISOString());
    if (!isDay(day))
      fail('DATE_INVALID', 'asOf：核对基准日应为有效日期（YYYY-MM-DD）', 422, { field: 'asOf' });
    const ids = [...new Set(memberIdNumbers.map((m, i) => residentIdOf(m, `memberIdNumbers[${i}]`, now)))];
    const rows = await ctx.query.registerOf(ids);
    const entries: HealthRegisterEntry[] = rows.map((r) => ({
      ...r,
      programme: r.programme as HealthProgramme,
    }));
    const answer = answerVerification(entries, ids, day);
    for (const id of ids) {
      await ctx.accessLog.record(actor, {
        resourceType: 'health-register',
        resourceId: personKeyOf(id),
        caseId: null,
        fields: ['register.entries'],
        purpose,
      });
    }
    return { answer, entries: rows.map((r) => itemOf(ctx, r, true)) };
  }
}

/** 救助台账: the entries of the officer's county (the city's: all), newest first, ID numbers masked. */
export class ListHealthRegisterQuery extends Query<Page<RegisterItem>> {
  readonly permission = 'health-register:list';

  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: {
      countyCode?: string;
      programme?: HealthProgramme;
      from?: string;
      to?: string;
      page: number;
      pageSize: number;
    },
  ) {
    super();
  }
}

@QueryHandler(ListHealthRegisterQuery)
export class ListHealthRegisterHandler implements IQueryHandler<ListHealthRegisterQuery> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  async execute({ actor, filter: f, permission }: ListHealthRegisterQuery): Promise<Page<RegisterItem>> {
    const { ctx } = this;
    for (const [field, value] of [
      ['from', f.from],
      ['to', f.to],
    ] as const) {
      if (value && !isDay(value))
        fail('DATE_INVALID', `${field}：日期应为有效日期（YYYY-MM-DD）`, 422, { field });
    }
    const countyCode =
      f.countyCode && actor.role !== 'auditor'
        ? countyWithin(ctx, actor, f.countyCode, 'countyCode', permission)
        : f.countyCode;
    const r = await ctx.query.listRegister({
      scope: scopeOf(ctx, actor, permission),
      countyCode,
      programme: f.programme,
      from: f.from,
      to: f.to,
      page: f.page,
      pageSize: f.pageSize,
    });
    return {
      items: r.rows.map((row) => itemOf(ctx, row, false)),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}
