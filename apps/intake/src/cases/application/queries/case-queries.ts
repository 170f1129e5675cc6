import { Inject, NotFoundException } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { maskIdNumber, maskName, type AuthenticatedActor } from '@platform/auth';
import type { CaseState } from '../../domain/case.decider.js';
import type { ReferralSummary } from '../../read-model/case-list.entities.js';
import { caseFor, INTAKE_CASES, type IntakeCases } from '../intake-cases.js';

export interface CaseListItem {
  caseId: string;
  caseNumber: string;
  status: string;
  isOpen: boolean;
  channel: string;
  urgency: string;
  villageCode: string;
  villageName: string;
  applicantName: string;
  applicantIdNumber: string;
  categories: string[];
  referrals: ReferralSummary[];
  reportedToGovernment: boolean;
  openedAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The cases of the actor's jurisdiction (auditors: all), names and ID numbers masked, urgent first. */
export class ListCasesQuery extends Query<Page<CaseListItem>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: { status?: string; page: number; pageSize: number },
  ) {
    super();
  }
}

@QueryHandler(ListCasesQuery)
export class ListCasesHandler implements IQueryHandler<ListCasesQuery> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ actor, filter }: ListCasesQuery): Promise<Page<CaseListItem>> {
    const tree = this.intake.tree();
    const villages =
      actor.role === 'auditor'
        ? null
        : tree
            .list('village')
            .filter((v) => tree.contains(actor.jurisdiction, v.code))
            .map((v) => v.code);
    const r = await this.intake.query.list({ villageCodes: villages, ...filter });
    return {
      items: r.rows.map((row) => ({
        caseId: row.caseId,
        caseNumber: row.caseNumber,
        status: row.status,
        isOpen: row.isOpen,
        channel: row.channel,
        urgency: row.urgency,
        villageCode: row.villageCode,
        villageName: tree.fullName(row.villageCode),
        applicantName: maskName(row.applicantName),
        applicantIdNumber: maskIdNumber(row.applicantId),
        categories: row.categories,
        referrals: row.referralStates,
        reportedToGovernment: row.reportedToGovernment,
        openedAt: row.openedAt.toISOString(),
      })),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}

/** The whole case with the household's personal details: the view is recorded in the access log. */
export class ViewCaseQuery extends Query<CaseState> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly caseId: string,
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(ViewCaseQuery)
export class ViewCaseHandler implements IQueryHandler<ViewCaseQuery> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ actor, caseId, purpose }: ViewCaseQuery): Promise<CaseState> {
    const state = await caseFor(this.intake, actor, caseId, 'cases:view');
    await this.intake.accessLog.record(actor, {
      resourceType: 'case',
      resourceId: caseId,
      caseId,
      fields: ['household.name', 'household.idNumber', 'household.phone'],
      purpose,
    });
    return state;
  }
}

/** A notice issued on the case (one-time notification, acceptance notice), with its issuer's name. */
export class CaseNoticeQuery extends Query<{
  state: CaseState;
  kind: 'one_time_notification' | 'acceptance_notice';
  issuer: string;
}> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly caseId: string,
    readonly documentNumber: string,
  ) {
    super();
  }
}

@QueryHandler(CaseNoticeQuery)
export class CaseNoticeHandler implements IQueryHandler<CaseNoticeQuery> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ actor, caseId, documentNumber }: CaseNoticeQuery) {
    const state = await caseFor(this.intake, actor, caseId, 'cases:notices');
    const notice = state.notices.find((n) => n.documentNumber === documentNumber);
    if (!notice) throw new NotFoundException({ code: 'NOTICE_NOT_FOUND', message: '文书不存在' });
    return {
      state,
      kind:
        notice.kind === 'one_time_notification'
          ? ('one_time_notification' as const)
          : ('acceptance_notice' as const),
      issuer: `${this.intake.tree().fullName(state.townshipCode!)}人民政府（社会救助窗口）`,
    };
  }
}

/** The public's lookup by case number and query code: the case, for a view without personal data. */
export class PublicProgressQuery extends Query<CaseState> {
  constructor(
    readonly caseNumber: string,
    readonly queryCode: string,
  ) {
    super();
  }
}

@QueryHandler(PublicProgressQuery)
export class PublicProgressHandler implements IQueryHandler<PublicProgressQuery> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ caseNumber, queryCode }: PublicProgressQuery): Promise<CaseState> {
    const caseId = await this.intake.query.findByNumberAndCode(caseNumber, queryCode);
    if (!caseId)
      throw new NotFoundException({
        code: 'CASE_NOT_FOUND',
        message: '未找到该案件，请核对案件编号和查询码',
      });
    return (await this.intake.cases.load(caseId)).state;
  }
}

/** Needs reported to the government: a liaison sees their jurisdiction, auditors and the joint meeting all. */
export class GovernmentReportsQuery extends Query<Page<unknown>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly page: number,
    readonly pageSize: number,
  ) {
    super();
  }
}

@QueryHandler(GovernmentReportsQuery)
export class GovernmentReportsHandler implements IQueryHandler<GovernmentReportsQuery> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  execute({ actor, page, pageSize }: GovernmentReportsQuery) {
    const tree = this.intake.tree();
    const codes =
      actor.role === 'government_liaison'
        ? tree
            .list()
            .filter((n) => tree.contains(actor.jurisdiction, n.code))
            .map((n) => n.code)
        : null;
    return this.intake.query.governmentReports(codes, page, pageSize);
  }
}

/** Who looked at personal data at intake (auditors). */
export class IntakeAccessLogQuery extends Query<unknown> {
  constructor(readonly filter: { caseId?: string; actorId?: string; page: number; pageSize: number }) {
    super();
  }
}

@QueryHandler(IntakeAccessLogQuery)
export class IntakeAccessLogHandler implements IQueryHandler<IntakeAccessLogQuery> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  execute({ filter }: IntakeAccessLogQuery) {
    return this.intake.accessLog.list(filter);
  }
}
