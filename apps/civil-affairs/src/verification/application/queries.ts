import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DEPARTMENT_NAMES_ZH, type AuthenticatedActor } from '@platform/auth';
import { beijingMinute as beijingTime, VERIFYING_DEPARTMENTS } from '@platform/contracts';
import { EXTERNAL_DEPARTMENTS } from '../domain/answer-file.js';
import { summariseAnswer } from '../domain/answer-summary.js';
import {
  currentAnswers,
  pendingDepartments,
  type RecordedAnswer,
  type VerificationState,
} from '../domain/verification.decider.js';
import { scopeOf, verificationFor, VERIFICATIONS, type Verifications } from './verifications.js';

const departmentName = (d: string) => DEPARTMENT_NAMES_ZH[d] ?? EXTERNAL_DEPARTMENTS[d] ?? d;

export interface DepartmentLine {
  department: string;
  departmentName: string;
  onPlatform: boolean;
  status: 'answered' | 'pending' | 'overdue';
  statusName: string;
  answer: Record<string, unknown> | null;
  /** The answer in one line of Chinese, as officers read it. */
  summary: string | null;
  answeredAt: string | null;
  source: 'platform' | 'import' | null;
  /** Earlier answers of the department, when it corrected itself. */
  corrections: number;
  late: boolean;
}

export interface VerificationReport {
  verificationId: string;
  applicationId: string | null;
  caseId: string | null;
  place: { villageCode: string; villageName: string; fullName: string };
  members: Array<{ name: string; idNumber: string; relationship: string }>;
  authorisation: { reference: string; signedOn: string };
  asOf: string;
  requestedBy: { id: string; name: string } | null;
  requestedAt: string;
  requestedAtBeijing: string;
  dueAt: string;
  dueAtBeijing: string;
  complete: boolean;
  departments: DepartmentLine[];
  history: Array<RecordedAnswer & { departmentName: string; atBeijing: string }>;
}

export function reportOf(
  state: VerificationState,
  placeName: (code: string) => { name: string; fullName: string },
): VerificationReport {
  const d = state.details!;
  const current = currentAnswers(state);
  const pending = new Set(pendingDepartments(state));
  const line = (department: string, onPlatform: boolean): DepartmentLine => {
    const a = current.get(department) ?? null;
    const status = a ? 'answered' : state.overdue.includes(department) ? 'overdue' : 'pending';
    return {
      department,
      departmentName: departmentName(department),
      onPlatform,
      status,
      statusName: status === 'answered' ? '已回复' : status === 'overdue' ? '逾期未回复' : '待回复',
      answer: a?.answer ?? null,
      summary: a ? summariseAnswer(department, a.answer as Record<string, unknown>) || '无相关记录' : null,
      answeredAt: a?.at ?? null,
      source: a?.source ?? null,
      corrections: state.answers.filter((x) => x.department === department).length - (a ? 1 : 0),
      late: a !== null && Date.parse(a.at) > Date.parse(state.dueAt!),
    };
  };
  const imported = [...current.keys()].filter((k) => !state.departments.includes(k));
  const place = placeName(d.villageCode);
  return {
    verificationId: d.verificationId,
    applicationId: d.applicationId,
    caseId: d.caseId,
    place: { villageCode: d.villageCode, villageName: place.name, fullName: place.fullName },
    members: d.members,
    authorisation: d.authorisation,
    asOf: d.asOf,
    requestedBy: state.requestedBy && { id: state.requestedBy.id, name: state.requestedBy.name },
    requestedAt: state.requestedAt!,
    requestedAtBeijing: beijingTime(state.requestedAt!),
    dueAt: state.dueAt!,
    dueAtBeijing: beijingTime(state.dueAt!),
    complete: pending.size === 0,
    departments: [
      ...VERIFYING_DEPARTMENTS.filter((x) => state.departments.includes(x)).map((x) => line(x, true)),
      ...imported.map((x) => line(x, false)),
    ],
    history: state.answers.map((a) => ({
      ...a,
      departmentName: departmentName(a.department),
      atBeijing: beijingTime(a.at),
    })),
  };
}

/** 核对报告: every department's answer, who is late; reading it is recorded in the access log. */
export class ViewVerificationQuery extends Query<VerificationReport> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly verificationId: string,
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(ViewVerificationQuery)
export class ViewVerificationHandler implements IQueryHandler<ViewVerificationQuery> {
  constructor(@Inject(VERIFICATIONS) private readonly ctx: Verifications) {}

  async execute({ actor, verificationId, purpose }: ViewVerificationQuery): Promise<VerificationReport> {
    const { state } = await verificationFor(this.ctx, actor, verificationId, 'verification:view');
    await this.ctx.accessLog.record(actor, {
      resourceType: 'household-verification',
      resourceId: verificationId,
      caseId: state.details!.caseId,
      fields: ['members.name', 'members.idNumber', 'answers'],
      purpose,
    });
    const tree = this.ctx.tree();
    return reportOf(state, (code) => ({
      name: tree.get(code)?.name ?? code,
      fullName: tree.fullName(code) || code,
    }));
  }
}

export interface VerificationListItem {
  verificationId: string;
  applicationId: string | null;
  villageName: string;
  memberCount: number;
  requestedBy: string;
  requestedAt: string;
  requestedAtBeijing: string;
  dueAtBeijing: string;
  pendingNames: string[];
  overdueNames: string[];
  answeredNames: string[];
}

/** The verifications of the officer's jurisdiction, newest first; no personal data in the list. */
export class ListVerificationsQuery extends Query<{
  items: VerificationListItem[];
  total: number;
  page: number;
  pageSize: number;
}> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: { applicationId?: string; pendingOnly?: boolean; page: number; pageSize: number },
  ) {
    super();
  }
}

@QueryHandler(ListVerificationsQuery)
export class ListVerificationsHandler implements IQueryHandler<ListVerificationsQuery> {
  constructor(@Inject(VERIFICATIONS) private readonly ctx: Verifications) {}

  async execute({ actor, filter }: ListVerificationsQuery) {
    const r = await this.ctx.query.list({ scope: scopeOf(this.ctx, actor), ...filter });
    const tree = this.ctx.tree();
    return {
      items: r.rows.map((row) => ({
        verificationId: row.verificationId,
        applicationId: row.applicationId,
        villageName: tree.get(row.villageCode)?.name ?? row.villageCode,
        memberCount: row.memberCount,
        requestedBy: row.requestedBy,
        requestedAt: row.requestedAt.toISOString(),
        requestedAtBeijing: beijingTime(row.requestedAt.toISOString()),
        dueAtBeijing: beijingTime(row.dueAt.toISOString()),
        pendingNames: row.pending.map(departmentName),
        overdueNames: row.overdue.map(departmentName),
        answeredNames: row.answered.map(departmentName),
      })),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}
