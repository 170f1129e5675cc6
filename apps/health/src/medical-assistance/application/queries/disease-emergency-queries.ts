import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { maskIdNumber, maskName, type AuthenticatedActor } from '@platform/auth';
import {
  REASON_NAMES,
  STATUS_NAMES,
  type DiseaseEmergencyState,
  type EmergencyReason,
  type EmergencyStatus,
} from '../../domain/disease-emergency.decider.js';
import { yuanOf } from '../../domain/values.js';
import {
  beijingTime,
  countyWithin,
  HEALTH_ASSISTANCE,
  reportFor,
  scopeOf,
  type HealthAssistance,
} from '../health-assistance.js';
import type { Page } from './medical-assistance-queries.js';

export interface ReportListItem {
  reportId: string;
  status: string;
  statusName: string;
  countyCode: string;
  countyName: string;
  hospitalName: string;
  reason: string;
  reasonName: string;
  /** Masked; null while the patient is unidentified. */
  patientName: string | null;
  patientIdNumber: string | null;
  admittedOn: string;
  emergencyCostYuan: number;
  unpaidYuan: number;
  approvedYuan: number | null;
  paidYuan: number | null;
  reportedAt: string;
  updatedAt: string;
}

/** 疾病应急救助报告列表: the reports of the officer's county (the city's: all), newest first. */
export class ListDiseaseEmergencyReportsQuery extends Query<Page<ReportListItem>> {
  readonly permission = 'disease-emergency:list';

  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: { countyCode?: string; status?: EmergencyStatus; page: number; pageSize: number },
  ) {
    super();
  }
}

@QueryHandler(ListDiseaseEmergencyReportsQuery)
export class ListDiseaseEmergencyReportsHandler implements IQueryHandler<ListDiseaseEmergencyReportsQuery> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  async execute({
    actor,
    filter: f,
    permission,
  }: ListDiseaseEmergencyReportsQuery): Promise<Page<ReportListItem>> {
    const { ctx } = this;
    const countyCode =
      f.countyCode && actor.role !== 'auditor'
        ? countyWithin(ctx, actor, f.countyCode, 'countyCode', permission)
        : f.countyCode;
    const r = await ctx.query.listReports({
      scope: scopeOf(ctx, actor, permission),
      countyCode,
      status: f.status,
      page: f.page,
      pageSize: f.pageSize,
    });
    const tree = ctx.authz.tree;
    return {
      items: r.rows.map((row) => ({
        reportId: row.reportId,
        status: row.status,
        statusName: STATUS_NAMES[row.status as EmergencyStatus] ?? row.status,
        countyCode: row.countyCode,
        countyName: tree.get(row.countyCode)?.name ?? row.countyCode,
        hospitalName: row.hospitalName,
        reason: row.reason,
        reasonName: REASON_NAMES[row.reason as EmergencyReason] ?? row.reason,
        patientName: row.patientName ? maskName(row.patientName) : null,
        patientIdNumber: row.patientIdNumber ? maskIdNumber(row.patientIdNumber) : null,
        admittedOn: row.admittedOn,
        emergencyCostYuan: yuanOf(row.emergencyCostFen),
        unpaidYuan: yuanOf(row.unpaidFen),
        approvedYuan: row.approvedFen === null ? null : yuanOf(row.approvedFen),
        paidYuan: row.paidFen === null ? null : yuanOf(row.paidFen),
        reportedAt: beijingTime(row.reportedAt),
        updatedAt: beijingTime(row.updatedAt),
      })),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}

/** One report as it stands, folded from its stream; a view naming an identified patient is recorded. */
export class ViewDiseaseEmergencyReportQuery extends Query<DiseaseEmergencyState> {
  readonly permission = 'disease-emergency:view';

  constructor(
    readonly actor: AuthenticatedActor,
    readonly reportId: string,
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(ViewDiseaseEmergencyReportQuery)
export class ViewDiseaseEmergencyReportHandler implements IQueryHandler<ViewDiseaseEmergencyReportQuery> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  async execute({
    actor,
    reportId,
    purpose,
    permission,
  }: ViewDiseaseEmergencyReportQuery): Promise<DiseaseEmergencyState> {
    const { state } = await reportFor(this.ctx, actor, reportId, permission);
    if (state.patient?.identified) {
      await this.ctx.accessLog.record(actor, {
        resourceType: 'disease-emergency',
        resourceId: reportId,
        caseId: null,
        fields: ['patient.idNumber', 'patient.name'],
        purpose,
      });
    }
    return state;
  }
}
