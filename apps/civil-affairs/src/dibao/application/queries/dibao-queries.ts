import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { maskIdNumber, maskName, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { AREA_NAMES, PROGRAM_NAMES, type Area, type Program } from '../../domain/allowance.js';
import {
  NOTICE_NAMES,
  STATUS_NAMES,
  STEP_NAMES,
  type ApplicationStatus,
  type DibaoState,
  type NoticeKind,
} from '../../domain/dibao-application.decider.js';
import type { DibaoApplicationEntry } from '../../read-model/dibao.entities.js';
import { applicationFor, DIBAO, scopeOf, type DibaoContext } from '../dibao-context.js';

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Where an application lies, by name: what a person reads instead of codes. */
export interface Place {
  villageName: string;
  townshipName: string;
  countyName: string;
  fullName: string;
}

function placeOf(ctx: DibaoContext, villageCode: string, townshipCode: string, countyCode: string): Place {
  const tree = ctx.tree();
  return {
    villageName: tree.get(villageCode)?.name ?? villageCode,
    townshipName: tree.get(townshipCode)?.name ?? townshipCode,
    countyName: tree.get(countyCode)?.name ?? countyCode,
    fullName: tree.fullName(villageCode) || villageCode,
  };
}

export interface ApplicationListItem {
  applicationId: string;
  caseId: string;
  caseNumber: string;
  program: string;
  programName: string;
  status: string;
  statusName: string;
  paused: boolean;
  villageCode: string;
  villageName: string;
  townshipName: string;
  area: string;
  areaName: string;
  applicantName: string | null;
  applicantIdNumber: string | null;
  householdSize: number | null;
  staffRelative: boolean;
  overdue: string[];
  /** The overdue steps by name (入户调查, 乡镇（街道）审核, …), in the order of `overdue`. */
  overdueNames: string[];
  /** The earliest running step deadline not yet passed: what the officer must act by next. */
  nextDueAt: string | null;
  notice: { kind: string; name: string; startsAt: string; endsAt: string } | null;
  monthlyAmount: number | null;
  documentNumber: string | null;
  receivedAt: string;
  decidedAt: string | null;
}

function listItem(ctx: DibaoContext, row: DibaoApplicationEntry): ApplicationListItem {
  const place = placeOf(ctx, row.villageCode, row.townshipCode, row.countyCode);
  return {
    applicationId: row.applicationId,
    caseId: row.caseId,
    caseNumber: row.caseNumber,
    program: row.program,
    programName: PROGRAM_NAMES[row.program as Program] ?? row.program,
    status: row.status,
    statusName: row.paused
      ? `${STATUS_NAMES[row.status as ApplicationStatus]}（异议复核中，暂停）`
      : STATUS_NAMES[row.status as ApplicationStatus],
    paused: row.paused,
    villageCode: row.villageCode,
    villageName: place.villageName,
    townshipName: place.townshipName,
    area: row.area,
    areaName: AREA_NAMES[row.area as Area] ?? row.area,
    applicantName: row.applicantName ? maskName(row.applicantName) : null,
    applicantIdNumber: row.applicantIdNumber ? maskIdNumber(row.applicantIdNumber) : null,
    householdSize: row.householdSize,
    staffRelative: row.staffRelative,
    overdue: row.overdue,
    overdueNames: row.overdue.map((s) => STEP_NAMES[s as keyof typeof STEP_NAMES] ?? s),
    nextDueAt: row.nextDueAt?.toISOString() ?? null,
    notice:
      row.noticeKind && row.noticeStartsAt && row.noticeEndsAt
        ? {
            kind: row.noticeKind,
            name: NOTICE_NAMES[row.noticeKind as NoticeKind],
            startsAt: row.noticeStartsAt.toISOString(),
            endsAt: row.noticeEndsAt.toISOString(),
          }
        : null,
    monthlyAmount: row.monthlyAmount,
    documentNumber: row.documentNumber,
    receivedAt: row.receivedAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

export interface ApplicationListFilter {
  status?: string;
  program?: string;
  villageCode?: string;
  overdue?: boolean;
  staffRelative?: boolean;
  page: number;
  pageSize: number;
}

/** The applications of the officer's jurisdiction (auditors: all), names and ID numbers masked, overdue first. */
export class ListDibaoApplicationsQuery extends Query<Page<ApplicationListItem>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: ApplicationListFilter,
  ) {
    super();
  }
}

@QueryHandler(ListDibaoApplicationsQuery)
export class ListDibaoApplicationsHandler implements IQueryHandler<ListDibaoApplicationsQuery> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute({ actor, filter }: ListDibaoApplicationsQuery): Promise<Page<ApplicationListItem>> {
    const r = await this.ctx.query.list({ scope: scopeOf(this.ctx, actor), ...filter });
    return {
      items: r.rows.map((row) => listItem(this.ctx, row)),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}

export interface ApplicationDetail {
  state: DibaoState;
  place: Place;
}

/** One application with the household's personal details: the view is recorded in the access log. */
export class ViewDibaoApplicationQuery extends Query<ApplicationDetail> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly applicationId: string,
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(ViewDibaoApplicationQuery)
export class ViewDibaoApplicationHandler implements IQueryHandler<ViewDibaoApplicationQuery> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute({ actor, applicationId, purpose }: ViewDibaoApplicationQuery): Promise<ApplicationDetail> {
    const { state } = await applicationFor(this.ctx, actor, applicationId, 'dibao:view');
    await this.ctx.accessLog.record(actor, {
      resourceType: 'dibao-application',
      resourceId: applicationId,
      caseId: state.details!.caseId,
      fields: [
        'household.name',
        'household.idNumber',
        'applicant.phone',
        'investigation.incomes',
        'investigation.assets',
        'objections.contact',
      ],
      purpose,
    });
    const d = state.details!;
    return { state, place: placeOf(this.ctx, d.villageCode, d.townshipCode, d.countyCode) };
  }
}

/** 某某镇人民政府, 某某街道办事处. */
export function townshipIssuer(townshipName: string): string {
  return townshipName.endsWith('街道') ? `${townshipName}办事处` : `${townshipName}人民政府`;
}

export interface DibaoDocument {
  state: DibaoState;
  place: Place;
  kind: 'approval' | 'rejection' | 'change' | 'suspension';
  documentNumber: string;
  issuer: string;
}

/** A document of the application (保障决定书 / 不予保障通知书 / 停保通知书) by its number. */
export class DibaoDocumentQuery extends Query<DibaoDocument> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly applicationId: string,
    readonly documentNumber: string,
  ) {
    super();
  }
}

@QueryHandler(DibaoDocumentQuery)
export class DibaoDocumentHandler implements IQueryHandler<DibaoDocumentQuery> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute({ actor, applicationId, documentNumber }: DibaoDocumentQuery): Promise<DibaoDocument> {
    const { state } = await applicationFor(this.ctx, actor, applicationId, 'dibao:documents');
    const kind =
      state.decision?.documentNumber === documentNumber
        ? state.decision.documentType
        : state.suspension?.documentNumber === documentNumber
          ? state.suspension.documentType
          : state.changes.some((c) => c.documentNumber === documentNumber)
            ? ('change' as const)
            : null;
    if (!kind) throw new DomainError('DOCUMENT_NOT_FOUND', `文书 ${documentNumber} 不存在`, 404);
    const d = state.details!;
    const place = placeOf(this.ctx, d.villageCode, d.townshipCode, d.countyCode);
    // A decision the county delegated is the township's (审核确认权限下放): its government issues it.
    const byTownship = kind !== 'change' && kind !== 'suspension' && state.decision?.level === 'township';
    const issuer = byTownship ? townshipIssuer(place.townshipName) : `${place.countyName}民政局`;
    return { state, place, kind, documentNumber, issuer };
  }
}

export interface NoticeItem {
  applicationId: string;
  caseNumber: string | null;
  program: string;
  programName: string;
  notice: string;
  noticeName: string;
  villageCode: string;
  villageName: string;
  townshipName: string;
  applicantName: string;
  householdSize: number | null;
  startsAt: string;
  endsAt: string;
}

function noticeItem(ctx: DibaoContext, row: DibaoApplicationEntry, officer: boolean): NoticeItem {
  const place = placeOf(ctx, row.villageCode, row.townshipCode, row.countyCode);
  return {
    applicationId: row.applicationId,
    caseNumber: officer ? row.caseNumber : null,
    program: row.program,
    programName: PROGRAM_NAMES[row.program as Program] ?? row.program,
    notice: row.noticeKind!,
    noticeName: NOTICE_NAMES[row.noticeKind as NoticeKind],
    villageCode: row.villageCode,
    villageName: place.villageName,
    townshipName: place.townshipName,
    applicantName: row.applicantName ? maskName(row.applicantName) : '',
    householdSize: row.householdSize,
    startsAt: row.noticeStartsAt!.toISOString(),
    endsAt: row.noticeEndsAt!.toISOString(),
  };
}

/** Applications on notice now, for officers of the jurisdiction (auditors: all). */
export class ListDibaoNoticesQuery extends Query<Page<NoticeItem>> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly filter: { villageCode?: string; kind?: string; page: number; pageSize: number },
  ) {
    super();
  }
}

@QueryHandler(ListDibaoNoticesQuery)
export class ListDibaoNoticesHandler implements IQueryHandler<ListDibaoNoticesQuery> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute({ actor, filter }: ListDibaoNoticesQuery): Promise<Page<NoticeItem>> {
    const r = await this.ctx.query.notices({
      scope: scopeOf(this.ctx, actor),
      now: this.ctx.now(),
      ...filter,
    });
    return {
      items: r.rows.map((row) => noticeItem(this.ctx, row, true)),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}

/** The public's list of applications on notice (names masked; no ID numbers, no case numbers). */
export class PublicDibaoNoticesQuery extends Query<Page<NoticeItem>> {
  constructor(readonly filter: { villageCode?: string; kind?: string; page: number; pageSize: number }) {
    super();
  }
}

@QueryHandler(PublicDibaoNoticesQuery)
export class PublicDibaoNoticesHandler implements IQueryHandler<PublicDibaoNoticesQuery> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute({ filter }: PublicDibaoNoticesQuery): Promise<Page<NoticeItem>> {
    const r = await this.ctx.query.notices({ scope: null, now: this.ctx.now(), ...filter });
    return {
      items: r.rows.map((row) => noticeItem(this.ctx, row, false)),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}

export interface RecipientItem {
  program: string;
  programName: string;
  villageCode: string;
  villageName: string;
  townshipName: string;
  countyName: string;
  name: string;
  householdSize: number | null;
  monthlyAmount: number | null;
  since: string | null;
}

export interface RecipientList extends Page<RecipientItem> {
  /** The place the list is for, by name, when one village or township was asked for. */
  placeName: string | null;
  /** When the list was read (the injected clock): the date printed on it. */
  asOf: string;
}

/** 长期公示: the standing list of recipients of a village (or township), names masked. */
export class PublicDibaoRecipientsQuery extends Query<RecipientList> {
  constructor(
    readonly filter: { villageCode?: string; townshipCode?: string; page: number; pageSize: number },
  ) {
    super();
  }
}

@QueryHandler(PublicDibaoRecipientsQuery)
export class PublicDibaoRecipientsHandler implements IQueryHandler<PublicDibaoRecipientsQuery> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute({ filter }: PublicDibaoRecipientsQuery): Promise<RecipientList> {
    const r = await this.ctx.query.recipients(filter);
    const code = filter.villageCode ?? filter.townshipCode;
    return {
      placeName: code ? this.ctx.tree().fullName(code) || code : null,
      asOf: this.ctx.now().toISOString(),
      items: r.rows.map((row) => {
        const place = placeOf(this.ctx, row.villageCode, row.townshipCode, row.countyCode);
        return {
          program: row.program,
          programName: PROGRAM_NAMES[row.program as Program] ?? row.program,
          villageCode: row.villageCode,
          villageName: place.villageName,
          townshipName: place.townshipName,
          countyName: place.countyName,
          name: row.applicantName ? maskName(row.applicantName) : '',
          householdSize: row.householdSize,
          monthlyAmount: row.monthlyAmount,
          since: row.decidedAt?.toISOString() ?? null,
        };
      }),
      total: r.total,
      page: r.page,
      pageSize: r.pageSize,
    };
  }
}

export interface RosterLine {
  villageName: string;
  townshipName: string;
  name: string;
  idNumber: string;
  programName: string;
  householdSize: number | null;
  monthlyAmount: number;
  documentNumber: string | null;
}

export interface PaymentRoster {
  countyCode: string;
  countyName: string;
  month: string;
  lines: RosterLine[];
  total: number;
}

/**
 * 发放花名册: a county's households to be paid for a month (YYYY-MM, Beijing), past months included, each
 * at the amount in force for that month, with full names and ID numbers for the payment: looking at it
 * is recorded in the access log. County officers get their own county; auditors name one.
 */
export class DibaoPaymentRosterQuery extends Query<PaymentRoster> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly month: string,
    readonly countyCode: string | null,
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(DibaoPaymentRosterQuery)
export class DibaoPaymentRosterHandler implements IQueryHandler<DibaoPaymentRosterQuery> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute({ actor, month, countyCode, purpose }: DibaoPaymentRosterQuery): Promise<PaymentRoster> {
    const tree = this.ctx.tree();
    const county = actor.role === 'auditor' ? countyCode : actor.jurisdiction;
    if (!county || tree.get(county)?.level !== 'county') {
      throw new DomainError('COUNTY_REQUIRED', 'countyCode：须指明旗县区（12位区划代码）', 422, {
        field: 'countyCode',
      });
    }
    // Each household at the amount in force for the month, not its current one: the rule (who is paid
    // for a month, and how much after a change) is in domain/allowance-history.ts.
    const rows = await this.ctx.query.roster(county, month);
    await this.ctx.accessLog.record(actor, {
      resourceType: 'dibao-roster',
      resourceId: `${county}-${month}`,
      caseId: null,
      fields: ['recipients.name', 'recipients.idNumber'],
      purpose,
    });
    const lines = rows.map((row) => {
      const place = placeOf(this.ctx, row.villageCode, row.townshipCode, row.countyCode);
      return {
        villageName: place.villageName,
        townshipName: place.townshipName,
        name: row.applicantName ?? '',
        idNumber: row.applicantIdNumber ?? '',
        programName: PROGRAM_NAMES[row.program as Program] ?? row.program,
        householdSize: row.householdSize,
        monthlyAmount: row.monthlyAmount,
        documentNumber: row.documentNumber,
      };
    });
    return {
      countyCode: county,
      countyName: tree.get(county)?.name ?? county,
      month,
      lines,
      total: lines.reduce((sum, l) => sum + l.monthlyAmount, 0),
    };
  }
}
