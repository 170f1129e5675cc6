import type { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { manyAndCount } from '@platform/read-model';
import {
  PurchasedServiceProjectRow,
  SocialForceProviderRow,
  SocialServiceRow,
} from './social-forces.entities.js';

/** A node of the jurisdiction tree. */
export interface Scope {
  level: 'city' | 'county' | 'township' | 'village';
  code: string;
}

export interface PageOf<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

const COLUMN_OF_LEVEL: Record<Scope['level'], string | null> = {
  city: null,
  county: 'county_code',
  township: 'township_code',
  village: 'village_code',
};

async function paged<T extends object>(
  qb: SelectQueryBuilder<T>,
  page: number,
  pageSize: number,
): Promise<PageOf<T>> {
  const [rows, total] = await manyAndCount(qb.skip((page - 1) * pageSize).take(pageSize));
  return { rows, total, page, pageSize };
}

/** Reads of the social-forces tables. */
export class SocialForcesQuery {
  private readonly providers: Repository<SocialForceProviderRow>;
  private readonly services: Repository<SocialServiceRow>;
  private readonly projects: Repository<PurchasedServiceProjectRow>;

  constructor(dataSource: DataSource) {
    this.providers = dataSource.getRepository(SocialForceProviderRow);
    this.services = dataSource.getRepository(SocialServiceRow);
    this.projects = dataSource.getRepository(PurchasedServiceProjectRow);
  }

  /** Providers maintained by a county (null: all), by name; optionally those offering a service. */
  listProviders(f: {
    countyCode: string | null;
    kind?: string;
    service?: string;
    page: number;
    pageSize: number;
  }): Promise<PageOf<SocialForceProviderRow>> {
    const qb = this.providers.createQueryBuilder('p');
    if (f.countyCode) qb.andWhere('p.county_code = :county', { county: f.countyCode });
    if (f.kind) qb.andWhere('p.kind = :kind', { kind: f.kind });
    if (f.service) qb.andWhere(':service = ANY(p.services)', { service: f.service });
    return paged(qb.orderBy('p.name', 'ASC').addOrderBy('p.provider_id', 'ASC'), f.page, f.pageSize);
  }

  /** Services of households within the scope (null: all), newest first; a social worker's own providers'. */
  listServices(f: {
    scope: Scope | null;
    status?: string;
    providerId?: string;
    userId?: string;
    page: number;
    pageSize: number;
  }): Promise<PageOf<SocialServiceRow>> {
    const qb = this.services.createQueryBuilder('s');
    const column = f.scope ? COLUMN_OF_LEVEL[f.scope.level] : null;
    if (column) qb.andWhere(`s.${column} = :scope`, { scope: f.scope!.code });
    if (f.status) qb.andWhere('s.status = :status', { status: f.status });
    if (f.providerId) qb.andWhere('s.provider_id = :provider', { provider: f.providerId });
    if (f.userId) {
      qb.andWhere(
        `s.provider_id IN (SELECT p.provider_id FROM ${this.providers.metadata.tablePath} p WHERE :user = ANY(p.user_ids))`,
        { user: f.userId },
      );
    }
    return paged(qb.orderBy('s.assigned_at', 'DESC').addOrderBy('s.service_id', 'ASC'), f.page, f.pageSize);
  }

  /** Projects of a county (null: all), newest first. */
  listProjects(f: {
    countyCode: string | null;
    page: number;
    pageSize: number;
  }): Promise<PageOf<PurchasedServiceProjectRow>> {
    const qb = this.projects.createQueryBuilder('p');
    if (f.countyCode) qb.andWhere('p.county_code = :county', { county: f.countyCode });
    return paged(qb.orderBy('p.created_at', 'DESC').addOrderBy('p.project_id', 'ASC'), f.page, f.pageSize);
  }
}
