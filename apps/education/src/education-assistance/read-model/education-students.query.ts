import { withinScope, type RegisterScope } from '@platform/assistance-read-model';
import { manyAndCount } from '@platform/read-model';
import type { DataSource, Repository } from 'typeorm';
import { EducationStudentRow } from './education-students.entities.js';

export interface StudentFilter {
  /** The actor's reach (null: everything, for auditors). */
  scope: RegisterScope | null;
  /** A node the officer chose, within their reach. */
  jurisdiction?: RegisterScope;
  atSchool?: boolean;
  /** Only students with a term granted, begun by this day and not paid. */
  dueBy?: string;
  /** Part of the student's name, or their full ID number. */
  student?: string;
  page: number;
  pageSize: number;
}

/** The education officers' list of students. */
export class EducationStudentsQuery {
  private readonly students: Repository<EducationStudentRow>;

  constructor(dataSource: DataSource) {
    this.students = dataSource.getRepository(EducationStudentRow);
  }

  /** A page of students in the reach: those with a term to pay first (earliest first), then the most recently changed. */
  async list(f: StudentFilter) {
    const qb = this.students.createQueryBuilder('r');
    if (f.scope) withinScope(qb, f.scope, 'scope');
    if (f.jurisdiction) withinScope(qb, f.jurisdiction, 'chosen');
    if (f.atSchool !== undefined) qb.andWhere('r.at_school = :atSchool', { atSchool: f.atSchool });
    if (f.dueBy) qb.andWhere('r.next_unpaid_on <= :dueBy', { dueBy: f.dueBy });
    if (f.student) {
      const s = f.student.trim();
      if (/^\d{17}[\dXx]$/.test(s)) qb.andWhere('r.id_number = :id', { id: s.toUpperCase() });
      // The name as typed, its LIKE wildcards taken literally.
      else qb.andWhere(`r.name LIKE :name ESCAPE '\\'`, { name: `%${s.replace(/[\\%_]/g, '\\$&')}%` });
    }
    const [rows, total] = await manyAndCount(
      qb
        .orderBy('r.next_unpaid_on', 'ASC', 'NULLS LAST')
        .addOrderBy('r.updated_at', 'DESC')
        .addOrderBy('r.student_id', 'ASC')
        .skip((f.page - 1) * f.pageSize)
        .take(f.pageSize),
    );
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }
}
