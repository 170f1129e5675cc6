import { Column, PrimaryColumn } from 'typeorm';

/**
 * The columns every department register table (housing, education) has: the event the entry came from
 * (its key, so that a batch applied again writes nothing twice), the person, the amount, the day, and the
 * place with its ancestors (what `withinScope` reads). Each department's entity extends it with its own
 * columns under its own table name; the tables are made by the departments' migrations.
 */
export abstract class RegisterEntryColumns {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ name: 'person_id_number', type: 'text' })
  personIdNumber: string;

  @Column({ name: 'person_name', type: 'text' })
  personName: string;

  @Column({
    name: 'amount_fen',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  amountFen: number;

  /** YYYY-MM-DD (Beijing): the day the assistance was given (paid, allocated) or the fact recorded. */
  @Column({ name: 'given_on', type: 'text' })
  date: string;

  @Column({ name: 'jurisdiction_code', type: 'text' })
  jurisdictionCode: string;

  @Column({ name: 'township_code', type: 'text' })
  townshipCode: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}
