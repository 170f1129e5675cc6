import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

const bigintFen = {
  to: (v: number | null) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/** One row per social-force provider (社会力量): the registry's list. */
@Entity({ name: 'social_force_providers' })
@Index('social_force_providers_county', ['countyCode', 'name'])
export class SocialForceProviderRow {
  @PrimaryColumn({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text', array: true })
  services: string[];

  @Column({ name: 'area_codes', type: 'text', array: true })
  areaCodes: string[];

  @Column({ name: 'user_ids', type: 'text', array: true })
  userIds: string[];

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ type: 'boolean' })
  active: boolean;

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** One row per service assigned to a provider for a case. */
@Entity({ name: 'social_services' })
@Index('social_services_county', ['countyCode', 'assignedAt'])
@Index('social_services_provider', ['providerId'])
export class SocialServiceRow {
  @PrimaryColumn({ name: 'service_id', type: 'uuid' })
  serviceId: string;

  @Column({ name: 'case_id', type: 'text' })
  caseId: string;

  @Column({ name: 'case_number', type: 'text' })
  caseNumber: string;

  @Column({ name: 'household_name', type: 'text' })
  householdName: string;

  @Column({ type: 'text' })
  service: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ name: 'provider_name', type: 'text' })
  providerName: string;

  @Column({ name: 'project_id', type: 'uuid', nullable: true })
  projectId: string | null;

  @Column({ name: 'cost_fen', type: 'bigint', nullable: true, transformer: bigintFen })
  costFen: number | null;

  @Column({ name: 'village_code', type: 'text' })
  villageCode: string;

  @Column({ name: 'township_code', type: 'text' })
  townshipCode: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  @Column({ name: 'visit_count', type: 'int' })
  visitCount: number;

  @Column({ name: 'assigned_at', type: 'timestamptz' })
  assignedAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** One row per purchased-service project (政府购买服务): budget and what is charged against it, in fen. */
@Entity({ name: 'purchased_service_projects' })
@Index('purchased_service_projects_county', ['countyCode', 'createdAt'])
export class PurchasedServiceProjectRow {
  @PrimaryColumn({ name: 'project_id', type: 'uuid' })
  projectId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId: string;

  @Column({ name: 'provider_name', type: 'text' })
  providerName: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ name: 'budget_fen', type: 'bigint', transformer: bigintFen })
  budgetFen: number;

  @Column({ name: 'charged_fen', type: 'bigint', transformer: bigintFen })
  chargedFen: number;

  @Column({ name: 'service_count', type: 'int' })
  serviceCount: number;

  @Column({ name: 'period_from', type: 'date' })
  periodFrom: string;

  @Column({ name: 'period_to', type: 'date' })
  periodTo: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
