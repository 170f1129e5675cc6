import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The register of housing assistance given (住房救助台账): one row per entry of the domain's fold — a
 * renovation subsidy paid, a public rental unit allocated, a month of rental subsidy paid — keyed by the
 * event it came from, so that a batch applied again writes nothing twice.
 *
 * `member_id_numbers` has a GIN index (migration only: TypeORM cannot declare one) for the lookup of a
 * household's members (`&&`).
 */
@Entity({ name: 'housing_register_entries' })
@Index('housing_register_county_date', ['countyCode', 'date'])
export class HousingRegisterEntryRow {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ type: 'text' })
  programme: string;

  @Column({ name: 'person_id_number', type: 'text' })
  personIdNumber: string;

  @Column({ name: 'person_name', type: 'text' })
  personName: string;

  @Column({ name: 'household_id', type: 'text' })
  householdId: string;

  @Column({ name: 'member_id_numbers', type: 'text', array: true })
  memberIdNumbers: string[];

  @Column({
    name: 'amount_fen',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  amountFen: number;

  /** YYYY-MM-DD (Beijing): the day paid or allocated. */
  @Column({ name: 'given_on', type: 'text' })
  date: string;

  @Column({ name: 'decision_reference', type: 'text' })
  decisionReference: string;

  @Column({ type: 'text', nullable: true })
  month: string | null;

  @Column({ name: 'subject_id', type: 'text' })
  subjectId: string;

  @Column({ name: 'jurisdiction_code', type: 'text' })
  jurisdictionCode: string;

  @Column({ name: 'township_code', type: 'text' })
  townshipCode: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
