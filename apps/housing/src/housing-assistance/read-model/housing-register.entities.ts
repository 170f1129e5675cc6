import { RegisterEntryColumns } from '@platform/assistance-read-model';
import { Column, Entity, Index } from 'typeorm';

/**
 * The register of housing assistance given (住房救助台账): one row per entry of the domain's fold — a
 * renovation subsidy paid, a public rental unit allocated, a month of rental subsidy paid — keyed by the
 * event it came from, so that a batch applied again writes nothing twice (the columns every register has
 * are `RegisterEntryColumns`; `given_on` is the day paid or allocated).
 *
 * `member_id_numbers` has a GIN index (migration only: TypeORM cannot declare one) for the lookup of a
 * household's members (`&&`).
 */
@Entity({ name: 'housing_register_entries' })
@Index('housing_register_county_date', ['countyCode', 'date'])
export class HousingRegisterEntryRow extends RegisterEntryColumns {
  @Column({ type: 'text' })
  programme: string;

  @Column({ name: 'household_id', type: 'text' })
  householdId: string;

  @Column({ name: 'member_id_numbers', type: 'text', array: true })
  memberIdNumbers: string[];

  @Column({ name: 'decision_reference', type: 'text' })
  decisionReference: string;

  @Column({ type: 'text', nullable: true })
  month: string | null;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId: string;
}
