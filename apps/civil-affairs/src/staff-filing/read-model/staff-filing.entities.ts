import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One row per (filing, person): the staff member or cadre (`role = 'self'`) and each close relative
 * (`role` = the relationship), with the post that makes the filing necessary. `active` is true while
 * the filing is in force and the person is on it; relatives taken off and retired filings stay as
 * inactive rows. The dibao check looks people up by ID number among active rows.
 */
@Entity({ name: 'staff_filing_people' })
@Index('staff_filing_people_active_id', ['idNumber'], { where: 'active' })
@Index('staff_filing_people_county', ['countyCode', 'filedAt'], { where: "role = 'self'" })
@Index('staff_filing_people_township', ['townshipCode', 'filedAt'], { where: "role = 'self'" })
export class StaffFilingPerson {
  @PrimaryColumn({ name: 'filing_id', type: 'uuid' })
  filingId: string;

  @PrimaryColumn({ name: 'id_number', type: 'text' })
  idNumber: string;

  @Column({ name: 'person_name', type: 'text' })
  personName: string;

  /** 'self' or the relationship to the staff member (spouse, parent, child, sibling…). */
  @Column({ type: 'text' })
  role: string;

  @Column({ name: 'staff_name', type: 'text' })
  staffName: string;

  @Column({ name: 'staff_kind', type: 'text' })
  staffKind: string;

  @Column({ type: 'text' })
  position: string;

  @Column({ type: 'text' })
  organisation: string;

  @Column({ name: 'jurisdiction_code', type: 'text' })
  jurisdictionCode: string;

  @Column({ name: 'jurisdiction_level', type: 'text' })
  jurisdictionLevel: string;

  @Column({ name: 'township_code', type: 'text', nullable: true })
  townshipCode: string | null;

  @Column({ name: 'county_code', type: 'text', nullable: true })
  countyCode: string | null;

  @Column({ type: 'boolean' })
  active: boolean;

  /** Relatives on the filing now (kept on every row of the filing, read on the staff member's). */
  @Column({ name: 'relative_count', type: 'int' })
  relativeCount: number;

  @Column({ name: 'filed_at', type: 'timestamptz' })
  filedAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
