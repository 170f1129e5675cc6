import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Page } from '@platform/assistance-register';
import { maskIdNumber, maskName, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import {
  CATEGORY_NAMES,
  CLAIM_STATUS_NAMES,
  standingOn,
  type ClaimStatus,
  type MedicalAssistanceState,
  type MedicalCategory,
  type YearStanding,
} from '../../domain/medical-assistance.decider.js';
import { beijingDayOf, yuanOf } from '../../domain/values.js';
import {
  beijingTime,
  countyWithin,
  HEALTH_ASSISTANCE,
  personKeyOf,
  residentIdOf,
  scopeOf,
  tableVersionOf,
  type HealthAssistance,
} from '../health-assistance.js';

export type { Page } from '@platform/assistance-register';

export interface ClaimListItem {
  claimId: string;
  personName: string;
  /** Masked: the full number only on the person's record, whose every view is recorded. */
  personIdNumber: string;
  countyCode: string;
  countyName: string;
  serviceDate: string;
  hospital: string;
  seriousIllness: boolean;
  totalCostYuan: number;
  inPolicyOutOfPocketYuan: number;
  category: string;
  categoryName: string;
  ratioPercent: number;
  assistanceYuan: number;
  personalPaymentYuan: number;
  capReached: boolean;
  status: string;
  statusName: string;
  assessedByName: string;
  assessedAt: string;
}

export interface ClaimListRequest {
  countyCode?: string;
  personIdNumber?: string;
  status?: ClaimStatus;
  year?: string;
  page: number;
  pageSize: number;
}

/** 医疗救助结算列表: the claims of the officer's county (the city's: all), newest first. */
export class ListMedicalClaimsQuery extends Query<Page<ClaimListItem>> {
  readonly permission = 'medical-assistance:list';

  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: ClaimListRequest,
  ) {
    super();
  }
}

@QueryHandler(ListMedicalClaimsQuery)
export class ListMedicalClaimsHandler implements IQueryHandler<ListMedicalClaimsQuery> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  async execute({ actor, filter: f, permission }: ListMedicalClaimsQuery): Promise<Page<ClaimListItem>> {
    const { ctx } = this;
    const scope = scopeOf(ctx, actor, permission);
    const countyCode =
      f.countyCode && actor.role !== 'auditor'
        ? countyWithin(ctx, actor, f.countyCode, 'countyCode', permission)
        : f.countyCode;
    const now = ctx.now();
    const r = await ctx.query.listClaims({
      scope,
      countyCode,
      personIdNumber: f.personIdNumber ? residentIdOf(f.personIdNumber, 'personIdNumber', now) : undefined,
      status: f.status,
      year: f.year,
      page: f.page,
      pageSize: f.pageSize,
    });
    const tree = ctx.authz.tree;
    return {
      items: r.rows.map((c) => ({
        claimId: c.claimId,
        personName: maskName(c.personName),
        personIdNumber: maskIdNumber(c.personIdNumber),
        countyCode: c.countyCode,
        countyName: tree.get(c.countyCode)?.name ?? c.countyCode,
        serviceDate: c.serviceDate,
        hospital: c.hospital,
        seriousIllness: c.seriousIllness,
        totalCostYuan: yuanOf(c.totalCostFen),
        inPolicyOutOfPocketYuan: yuanOf(c.inPolicyOutOfPocketFen),
        category: c.category,
        categoryName: CATEGORY_NAMES[c.category as MedicalCategory] ?? c.category,
        ratioPercent: c.ratioPercent,
        assistanceYuan: yuanOf(c.assistanceFen),
        personalPaymentYuan: yuanOf(c.personalPaymentFen),
        capReached: c.capReached,
        status: c.status,
        statusName: CLAIM_STATUS_NAMES[c.status as ClaimStatus] ?? c.status,
        assessedByName: c.assessedByName,
        assessedAt: beijingTime(c.assessedAt),
      })),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}

export interface PersonRecord {
  state: MedicalAssistanceState;
  /** The year asked about (this year unless another was asked for), as of its last day or today. */
  standing: YearStanding;
  asOf: string;
}

/**
 * 个人医疗救助记录: every claim and category fact of a person, and where they stand in a year — what
 * remains of the cap. Folded from the person's stream (current to the last command), recorded in the
 * access log. A county officer sees a person who has no claim yet or a claim in their county.
 */
export class ViewMedicalPersonQuery extends Query<PersonRecord> {
  readonly permission = 'medical-assistance:view';

  constructor(
    readonly actor: AuthenticatedActor,
    readonly idNumber: string,
    readonly year: string | null,
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(ViewMedicalPersonQuery)
export class ViewMedicalPersonHandler implements IQueryHandler<ViewMedicalPersonQuery> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  async execute({
    actor,
    idNumber,
    year,
    purpose,
    permission,
  }: ViewMedicalPersonQuery): Promise<PersonRecord> {
    const { ctx } = this;
    const now = ctx.now();
    const id = residentIdOf(idNumber, 'idNumber', now);
    const personKey = personKeyOf(id);
    const { state, version } = await ctx.medical.load(personKey);
    if (version === 0)
      throw new DomainError('PERSON_NOT_FOUND', 'idNumber：该人员没有医疗救助记录', 404, {
        field: 'idNumber',
      });
    if (
      actor.role !== 'auditor' &&
      state.claims.length > 0 &&
      !state.claims.some((c) => ctx.authz.within(actor, c.countyCode))
    ) {
      // Names the county of the person's latest claim.
      ctx.authz.assertWithin(actor, state.claims.at(-1)!.countyCode, permission);
    }
    const today = beijingDayOf(now.toISOString());
    const asOf =
      !year || year === today.slice(0, 4)
        ? today
        : year < today.slice(0, 4)
          ? `${year}-12-31`
          : `${year}-01-01`;
    const standing = standingOn(state, tableVersionOf(ctx.policy.asOf('medical-assistance', asOf)), asOf);
    await ctx.accessLog.record(actor, {
      resourceType: 'medical-assistance-person',
      resourceId: personKey,
      caseId: null,
      fields: ['person.idNumber', 'person.name', 'claims', 'categories'],
      purpose,
    });
    return { state, standing, asOf };
  }
}
