import { RegisterEntryColumns } from '@platform/assistance-read-model';
import { Column, Entity, Index } from 'typeorm';

/**
 * The register of education assistance given (教育救助台账): one row per entry of the domain's fold — a
 * term of aid paid, or the day a student left school (the register needs it to say who is at school) —
 * keyed by the event it came from, so that a batch applied again writes nothing twice (the columns every
 * register has are `RegisterEntryColumns`; `given_on` is the day paid, or the day the student left).
 */
@Entity({ name: 'education_register_entries' })
@Index('education_register_person', ['personIdNumber'])
@Index('education_register_county_date', ['countyCode', 'date'])
export class EducationRegisterEntryRow extends RegisterEntryColumns {
  /** 'aid' or 'left_school'. */
  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'household_id', type: 'text', nullable: true })
  householdId: string | null;

  @Column({ type: 'text', nullable: true })
  programme: string | null;

  @Column({ name: 'decision_reference', type: 'text', nullable: true })
  decisionReference: string | null;

  @Column({ type: 'text', nullable: true })
  stage: string | null;

  @Column({ name: 'school_year', type: 'int', nullable: true })
  schoolYear: number | null;

  @Column({ type: 'text', nullable: true })
  term: string | null;

  @Column({ name: 'term_starts_on', type: 'text', nullable: true })
  termStartsOn: string | null;

  @Column({ name: 'grant_id', type: 'text', nullable: true })
  grantId: string | null;

  @Column({ name: 'leaving_reason', type: 'text', nullable: true })
  leavingReason: string | null;

  @Column({ name: 'school_name', type: 'text' })
  schoolName: string;
}
