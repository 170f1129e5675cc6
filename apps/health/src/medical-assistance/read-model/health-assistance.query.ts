import { quoteIdent, type DbExecutor } from '@platform/event-store';
import { manyAndCount } from '@platform/read-model';
import type { DataSource, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import type { HealthRegisterEntry } from '../domain/assistance-register.js';
import {
  DiseaseEmergencyReportEntry,
  HealthRegisterRow,
  MedicalClaimEntry,
} from './health-assistance.entities.js';

/**
 * Where an officer's lists are cut: one county, or the whole city (county codes share the city's first
 * four digits); null for auditors, who read everything.
 */
export type Scope = { countyCode: string } | { cityPrefix: string } | null;

export interface Paged<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

interface PageRequest {
  scope: Scope;
  /** A county the officer chose (already checked to lie within the scope). */
  countyCode?: string;
  page: number;
  pageSize: number;
}

export interface ClaimFilter extends PageRequest {
  personIdNumber?: string;
  status?: string;
  year?: string;
}

export interface ReportFilter extends PageRequest {
  status?: string;
}

export interface RegisterFilter extends PageRequest {
  programme?: string;
  from?: string;
  to?: string;
}

function scoped<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, f: PageRequest) {
  const scope = f.scope;
  if (scope && 'countyCode' in scope)
    qb.andWhere(`${alias}.county_code = :scopeCounty`, { scopeCounty: scope.countyCode });
  if (scope && 'cityPrefix' in scope)
    qb.andWhere(`${alias}.county_code LIKE :cityPrefix`, { cityPrefix: `${scope.cityPrefix}%` });
  if (f.countyCode) qb.andWhere(`${alias}.county_code = :county`, { county: f.countyCode });
  return qb;
}

async function page<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, f: PageRequest): Promise<Paged<T>> {
  const [rows, total] = await manyAndCount(qb.skip((f.page - 1) * f.pageSize).take(f.pageSize));
  return { rows, total, page: f.page, pageSize: f.pageSize };
}

/** The register's columns a verification answer is made of. */
const ANSWER_COLUMNS = `person_id_number, date::text AS date, amount_fen, medical_cost_fen, personal_payment_fen,
        serious_illness`;

/**
 * The register's entries for these members in a period, for a verification answer, on the caller's
 * connection. Plain SQL: it runs on the inbox transaction's client (a `DbExecutor`, not a TypeORM
 * manager), and it must stay the one index-only range scan per member that `health_register_person` gives.
 */
export async function registerEntriesForAnswer(
  db: DbExecutor,
  schema: string,
  memberIdNumbers: string[],
  period: { from: string; to: string },
): Promise<HealthRegisterEntry[]> {
  const { rows } = await db.query<{
    person_id_number: string;
    date: string;
    amount_fen: string;
    medical_cost_fen: string;
    personal_payment_fen: string;
    serious_illness: boolean;
  }>(
    `SELECT ${ANSWER_COLUMNS}
       FROM ${quoteIdent(schema)}.health_assistance_register
      WHERE person_id_number = ANY($1::text[]) AND date BETWEEN $2::date AND $3::date`,
    [memberIdNumbers, period.from, period.to],
  );
  // Only what the answer reads is filled in: the rest never leaves the department.
  return rows.map((r) => ({
    personIdNumber: r.person_id_number,
    personName: null,
    householdId: null,
    programme: 'medical_assistance',
    amountFen: Number(r.amount_fen),
    date: r.date,
    decisionReference: '',
    medicalCostFen: Number(r.medical_cost_fen),
    personalPaymentFen: Number(r.personal_payment_fen),
    seriousIllness: r.serious_illness,
    countyCode: '',
    hospital: '',
  }));
}

/** Reads of the health assistance tables. */
export class HealthAssistanceQuery {
  private readonly claims: Repository<MedicalClaimEntry>;
  private readonly reports: Repository<DiseaseEmergencyReportEntry>;
  private readonly register: Repository<HealthRegisterRow>;

  constructor(dataSource: DataSource) {
    this.claims = dataSource.getRepository(MedicalClaimEntry);
    this.reports = dataSource.getRepository(DiseaseEmergencyReportEntry);
    this.register = dataSource.getRepository(HealthRegisterRow);
  }

  /** Claims, newest assessment first. */
  listClaims(f: ClaimFilter): Promise<Paged<MedicalClaimEntry>> {
    const qb = scoped(this.claims.createQueryBuilder('c'), 'c', f);
    if (f.personIdNumber) qb.andWhere('c.person_id_number = :person', { person: f.personIdNumber });
    if (f.status) qb.andWhere('c.status = :status', { status: f.status });
    if (f.year) qb.andWhere('c.year = :year', { year: f.year });
    return page(qb.orderBy('c.assessed_at', 'DESC').addOrderBy('c.claim_id', 'ASC'), f);
  }

  /** Whose claim a settlement number already is (a number names one settlement of one person). */
  async claimOwner(claimId: string): Promise<string | null> {
    const row = await this.claims.findOne({
      where: { claimId },
      select: { personIdNumber: true, claimId: true },
    });
    return row?.personIdNumber ?? null;
  }

  /** Reports, newest first. */
  listReports(f: ReportFilter): Promise<Paged<DiseaseEmergencyReportEntry>> {
    const qb = scoped(this.reports.createQueryBuilder('r'), 'r', f);
    if (f.status) qb.andWhere('r.status = :status', { status: f.status });
    return page(qb.orderBy('r.reported_at', 'DESC').addOrderBy('r.report_id', 'ASC'), f);
  }

  /** Every entry of the register for these ID numbers, by date (the `health_register_person` index). */
  registerOf(idNumbers: string[]): Promise<HealthRegisterRow[]> {
    if (idNumbers.length === 0) return Promise.resolve([]);
    return this.register
      .createQueryBuilder('g')
      .where('g.person_id_number = ANY(:ids)', { ids: idNumbers })
      .orderBy('g.person_id_number')
      .addOrderBy('g.date', 'DESC')
      .addOrderBy('g.decision_reference')
      .getMany();
  }

  /** The officer's register: entries of their county (or city), newest first. */
  listRegister(f: RegisterFilter): Promise<Paged<HealthRegisterRow>> {
    const qb = scoped(this.register.createQueryBuilder('g'), 'g', f);
    if (f.programme) qb.andWhere('g.programme = :programme', { programme: f.programme });
    if (f.from) qb.andWhere('g.date >= :from', { from: f.from });
    if (f.to) qb.andWhere('g.date <= :to', { to: f.to });
    return page(qb.orderBy('g.date', 'DESC').addOrderBy('g.programme').addOrderBy('g.decision_reference'), f);
  }
}
