import {
  registerPage,
  registerRowsOldestFirst,
  type RegisterRowFilter,
  type RegisterScope,
} from '@platform/assistance-read-model';
import type { DataSource, Repository } from 'typeorm';
import { EducationRegisterEntryRow } from './education-register.entities.js';

export type { RegisterScope } from '@platform/assistance-read-model';

/** A page of the aid paid: the actor's reach (by the school's place), a node they chose, days paid. */
export interface EducationRegisterFilter extends RegisterRowFilter {
  schoolYear?: number;
}

/** Reads of the education register. */
export class EducationRegisterQuery {
  private readonly entries: Repository<EducationRegisterEntryRow>;

  constructor(dataSource: DataSource) {
    this.entries = dataSource.getRepository(EducationRegisterEntryRow);
  }

  /** The aid paid in a jurisdiction, newest first. */
  list(
    f: EducationRegisterFilter,
  ): Promise<{ rows: EducationRegisterEntryRow[]; total: number; page: number; pageSize: number }> {
    const qb = this.entries.createQueryBuilder('r').where("r.kind = 'aid'");
    if (f.schoolYear) qb.andWhere('r.school_year = :schoolYear', { schoolYear: f.schoolYear });
    return registerPage(qb, f);
  }

  /** Every entry (aid and leaving) of these people (the index on the ID number), oldest first. */
  byPeople(idNumbers: string[], scope: RegisterScope | null): Promise<EducationRegisterEntryRow[]> {
    if (idNumbers.length === 0) return Promise.resolve([]);
    const qb = this.entries
      .createQueryBuilder('r')
      .where('r.person_id_number = ANY(:ids)', { ids: idNumbers });
    return registerRowsOldestFirst(qb, scope);
  }
}
