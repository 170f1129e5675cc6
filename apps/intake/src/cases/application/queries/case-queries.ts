import { HttpException, HttpStatus, Inject, NotFoundException } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { beijingMinute, DomainError } from '@platform/contracts';
import {
  maskIdNumber,
  maskName,
  UserDirectory,
  type AuthenticatedActor,
  type JurisdictionTree,
} from '@platform/auth';
import type { CaseState, GovernmentReportState, GovernmentResponse } from '../../domain/case.decider.js';
import { CATEGORY_NAMES, DEPARTMENT_NAMES } from '../../domain/policy.js';
import { normalizeQueryCode, QUERY_CODE_MAX_FAILURES } from '../../domain/query-code.js';
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
      fields: [
        'household.name',
        'household.idNumber',
        'household.phone',
        ...(state.notify?.email ? ['notify.email'] : []),
      ],
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
    const found = await this.intake.query.lookUpProgress(
      caseNumber,
      normalizeQueryCode(queryCode),
      QUERY_CODE_MAX_FAILURES,
      this.intake.now(),
    );
    if (found === 'locked')
      throw new HttpException(
        {
          code: 'PROGRESS_LOOKUP_LOCKED',
          message: `该案件编号的查询码已连续输错 ${QUERY_CODE_MAX_FAILURES} 次，查询已暂停：请持受理通知书到受理窗口重新领取查询码`,
        },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    if (!found)
      throw new NotFoundException({
        code: 'CASE_NOT_FOUND',
        message: `未找到该案件，请核对案件编号和查询码（同一案件编号连续输错 ${QUERY_CODE_MAX_FAILURES} 次将暂停查询）`,
      });
    return (await this.intake.cases.load(found.caseId)).state;
  }
}

/** A need reported to the government as the liaison, the window and the joint meeting read it. */
export interface GovernmentReportView {
  caseId: string;
  caseNumber: string;
  needId: string;
  category: string;
  categoryName: string;
  jurisdiction: string;
  /** The government reported to, e.g. 临河区人民政府. */
  governmentName: string;
  townshipName: string | null;
  reason: string;
  reportedAt: string;
  /** Beijing time, `2026-11-27 10:00`. */
  reportedAtBeijing: string;
  respondBy: string | null;
  respondByBeijing: string | null;
  status: 'awaiting' | 'overdue' | 'responded';
  statusName: string;
  response: {
    decision: string;
    responsibleDepartment: string | null;
    responsibleDepartmentName: string | null;
    amount: number | null;
    followUp: string | null;
    by: string;
    byName: string;
    at: string;
    atBeijing: string;
  } | null;
}

const STATUS_NAMES = { awaiting: '待政府回复', overdue: '逾期未回复', responded: '政府已处理' } as const;

export function governmentReportView(
  r: {
    caseId: string;
    caseNumber: string;
    needId: string;
    category: string;
    jurisdiction: string;
    townshipCode: string | null;
    reason: string;
    reportedAt: string;
    respondBy: string | null;
    response: GovernmentResponse | null;
  },
  tree: JurisdictionTree,
  names: Map<string, string>,
  now: Date,
): GovernmentReportView {
  const status = r.response
    ? 'responded'
    : r.respondBy && Date.parse(r.respondBy) < now.getTime()
      ? 'overdue'
      : 'awaiting';
  const government = tree.get(r.jurisdiction);
  return {
    caseId: r.caseId,
    caseNumber: r.caseNumber,
    needId: r.needId,
    category: r.category,
    categoryName: CATEGORY_NAMES[r.category] ?? r.category,
    jurisdiction: r.jurisdiction,
    governmentName: government ? `${government.name}人民政府` : r.jurisdiction,
    townshipName: r.townshipCode ? (tree.get(r.townshipCode)?.name ?? r.townshipCode) : null,
    reason: r.reason,
    reportedAt: r.reportedAt,
    reportedAtBeijing: beijingMinute(r.reportedAt),
    respondBy: r.respondBy,
    respondByBeijing: r.respondBy ? beijingMinute(r.respondBy) : null,
    status,
    statusName: STATUS_NAMES[status],
    response: r.response
      ? {
          ...r.response,
          responsibleDepartmentName: r.response.responsibleDepartment
            ? (DEPARTMENT_NAMES[r.response.responsibleDepartment] ?? r.response.responsibleDepartment)
            : null,
          byName: names.get(r.response.by) ?? r.response.by,
          atBeijing: beijingMinute(r.response.at),
        }
      : null,
  };
}

/**
 * Needs reported to the government: a liaison sees their government's jurisdiction, a township window
 * the reports its township made, auditors and the joint meeting all.
 */
export class GovernmentReportsQuery extends Query<Page<GovernmentReportView>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly page: number,
    readonly pageSize: number,
    readonly status: 'awaiting' | 'overdue' | 'responded' | null,
  ) {
    super();
  }
}

@QueryHandler(GovernmentReportsQuery)
export class GovernmentReportsHandler implements IQueryHandler<GovernmentReportsQuery> {
  constructor(
    @Inject(INTAKE_CASES) private readonly intake: IntakeCases,
    @Inject(UserDirectory) private readonly directory: UserDirectory,
  ) {}

  async execute({
    actor,
    page,
    pageSize,
    status,
  }: GovernmentReportsQuery): Promise<Page<GovernmentReportView>> {
    const tree = this.intake.tree();
    const scope =
      actor.role === 'government_liaison'
        ? {
            jurisdictionCodes: tree
              .list()
              .filter((n) => tree.contains(actor.jurisdiction, n.code))
              .map((n) => n.code),
          }
        : actor.role === 'township_officer'
          ? { townshipCode: actor.jurisdiction }
          : null;
    const now = this.intake.now();
    const found = await this.intake.query.governmentReports(scope, status, now, page, pageSize);
    const names = await this.directory.namesOf(
      found.rows.flatMap((r) => (r.response ? [r.response.by] : [])),
    );
    return {
      items: found.rows.map((r) =>
        governmentReportView(
          {
            ...r,
            reportedAt: r.reportedAt.toISOString(),
            respondBy: r.respondBy?.toISOString() ?? null,
          },
          tree,
          names,
          now,
        ),
      ),
      total: found.total,
      page,
      pageSize,
    };
  }
}

/** Whom to call about an urgent case in a county (救急难值班表), as the table in force now has it. */
export interface OnCallView {
  countyCode: string;
  countyName: string;
  contacts: Array<{ name: string; phone: string; duty: string | null }>;
  /** The table version and the day it took effect; a roster not loaded yet says so. */
  version: number;
  effectiveFrom: string;
  note: string | null;
}

export class OnCallQuery extends Query<OnCallView> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly countyCode: string | null,
  ) {
    super();
  }
}

@QueryHandler(OnCallQuery)
export class OnCallHandler implements IQueryHandler<OnCallQuery> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ actor, countyCode }: OnCallQuery): Promise<OnCallView> {
    const tree = this.intake.tree();
    const code = countyCode ?? tree.at(actor.jurisdiction, 'county')?.code ?? null;
    if (!code)
      throw new DomainError('COUNTY_REQUIRED', '请指定旗县区（countyCode）', 422, { field: 'countyCode' });
    const county = tree.get(code);
    if (!county || county.level !== 'county')
      throw new DomainError('UNKNOWN_COUNTY', `countyCode：${code} 不是已登记的旗县区`, 422, {
        field: 'countyCode',
      });
    const table = this.intake.policy.asOf('on-call', this.intake.now());
    const contacts = (table.content[code] ?? []).map((c) => ({
      name: c.name,
      phone: c.phone,
      duty: c.duty ?? null,
    }));
    return {
      countyCode: code,
      countyName: tree.fullName(code),
      contacts,
      version: table.version,
      effectiveFrom: table.effectiveFrom,
      note:
        contacts.length === 0
          ? '本旗县区尚未录入救急难值班表，请联系旗县区民政局（管理员：POST /admin/policy/on-call）'
          : null,
    };
  }
}

/** A case as its reporter follows it: the state and its village's full name. */
export interface ReportedCase {
  state: CaseState;
  villageName: string;
}

/**
 * The cases a user opened — a social worker's or a village committee's reports — newest first. A reporter
 * follows them wherever they are handled, without the jurisdiction a case view needs.
 */
export class ListReportedCasesQuery extends Query<Page<ReportedCase>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly page: number,
    readonly pageSize: number,
  ) {
    super();
  }
}

@QueryHandler(ListReportedCasesQuery)
export class ListReportedCasesHandler implements IQueryHandler<ListReportedCasesQuery> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ actor, page, pageSize }: ListReportedCasesQuery): Promise<Page<ReportedCase>> {
    const r = await this.intake.query.list({ villageCodes: null, openedBy: actor.id, page, pageSize });
    const states = await this.intake.cases.loadMany(r.rows.map((row) => row.caseId));
    const tree = this.intake.tree();
    return {
      items: r.rows.map((row) => ({
        state: states.get(row.caseId)!.state,
        villageName: tree.fullName(row.villageCode),
      })),
      total: r.total,
      page,
      pageSize,
    };
  }
}

/** One case its reporter opened; 404 for anyone else's, so a case's existence is not revealed. */
export class ReportedCaseQuery extends Query<ReportedCase> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly caseId: string,
  ) {
    super();
  }
}

@QueryHandler(ReportedCaseQuery)
export class ReportedCaseHandler implements IQueryHandler<ReportedCaseQuery> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ actor, caseId }: ReportedCaseQuery): Promise<ReportedCase> {
    const { state } = await this.intake.cases.load(caseId);
    if (state.status === 'none' || state.openedBy !== actor.id)
      throw new NotFoundException({ code: 'REPORT_NOT_FOUND', message: '未找到您报告的该案件' });
    return { state, villageName: this.intake.tree().fullName(state.villageCode!) };
  }
}

/** One report as the liaison reads it after recording the response (names and Beijing times). */
export class GovernmentReportQuery extends Query<GovernmentReportView> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly caseId: string,
    readonly report: GovernmentReportState,
    readonly state: CaseState,
  ) {
    super();
  }
}

@QueryHandler(GovernmentReportQuery)
export class GovernmentReportHandler implements IQueryHandler<GovernmentReportQuery> {
  constructor(
    @Inject(INTAKE_CASES) private readonly intake: IntakeCases,
    @Inject(UserDirectory) private readonly directory: UserDirectory,
  ) {}

  async execute({ caseId, report: g, state }: GovernmentReportQuery): Promise<GovernmentReportView> {
    const names = await this.directory.namesOf(g.response ? [g.response.by] : []);
    return governmentReportView(
      {
        caseId,
        caseNumber: state.caseNumber!,
        needId: g.needId,
        category: g.category,
        jurisdiction: g.jurisdiction ?? state.countyCode!,
        townshipCode: state.townshipCode,
        reason: g.reason,
        reportedAt: g.at,
        respondBy: g.respondBy,
        response: g.response,
      },
      this.intake.tree(),
      names,
      this.intake.now(),
    );
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
