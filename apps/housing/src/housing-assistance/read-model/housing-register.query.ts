import {
  registerPage,
  registerRowsOldestFirst,
  type RegisterRowFilter,
  type RegisterScope,
} from '@platform/assistance-read-model';
import type { DataSource, Repository } from 'typeorm';
import { HousingRegisterEntryRow } from './housing-register.entities.js';

export type { RegisterScope } from '@platform/assistance-read-model';

/** A page of the housing register: the actor's reach, a node they chose, a programme, days given. */
export type HousingRegisterFilter = RegisterRowFilter;

/** Reads of the housing register. */
export class HousingRegisterQuery {
  private readonly entries: Repository<HousingRegisterEntryRow>;

  constructor(dataSource: DataSource) {
    this.entries = dataSource.getRepository(HousingRegisterEntryRow);
  }

  /** The register of a jurisdiction, newest first. */
  list(
    f: HousingRegisterFilter,
  ): Promise<{ rows: HousingRegisterEntryRow[]; total: number; page: number; pageSize: number }> {
    return registerPage(this.entries.createQueryBuilder('r'), f);
  }

  /** Every entry naming any of these people as a member (the GIN index on the members), oldest first. */
  byMembers(idNumbers: string[], scope: RegisterScope | null): Promise<HousingRegisterEntryRow[]> {
    if (idNumbers.length === 0) return Promise.resolve([]);
    const qb = this.entries
      .createQueryBuilder('r')
      .where('r.member_id_numbers && :ids::text[]', { ids: idNumbers });
    return registerRowsOldestFirst(qb, scope);
  }
}
