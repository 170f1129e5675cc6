import { createHash } from 'node:crypto';
import { assertMay, beijingDay } from '@platform/assistance-register';
import type { AccessLog, AuthenticatedActor, Authorizer } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { DeciderStore, type EventStore, type RecordedEvent } from '@platform/event-store';
import type { EducationAssistanceTable, PolicyTables } from '@platform/policy';
import {
  educationAssistanceDecider,
  type EducationAssistanceCommand,
  type EducationAssistanceEvent,
  type EducationAssistanceState,
  type School,
} from '../domain/education-assistance.decider.js';
import type { TableVersion } from '../domain/values.js';
import type { EducationRegisterQuery } from '../read-model/education-register.query.js';
import type { EducationStudentsQuery } from '../read-model/education-students.query.js';

export { assertMay, beijingDay, officerMetadata, officerOf, placeOf } from '@platform/assistance-register';

export type StudentStore = DeciderStore<
  EducationAssistanceCommand,
  EducationAssistanceEvent,
  EducationAssistanceState
>;

/**
 * A student's key: a digest of the ID number, so that the student-status record sent twice finds the same
 * stream, and no stream name or URL carries the ID number itself.
 */
export const studentKeyOf = (idNumber: string) =>
  createHash('sha256')
    .update(`education:student:${idNumber.trim().toUpperCase()}`)
    .digest('hex')
    .slice(0, 32);

export const studentStream = (studentKey: string) => `education-assistance-${studentKey}`;

export function studentStore(store: EventStore): StudentStore {
  return new DeciderStore({
    store,
    decider: educationAssistanceDecider,
    streamOf: studentStream,
    toStored: (e) => ({ type: e.type, data: e.data }),
    fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as EducationAssistanceEvent,
  });
}

/** What the education-assistance command and query handlers work on. */
export interface EducationContext {
  students: StudentStore;
  store: EventStore;
  register: EducationRegisterQuery;
  studentList: EducationStudentsQuery;
  authz: Authorizer;
  accessLog: AccessLog;
  now: () => Date;
  policy: PolicyTables;
}

export const EDUCATION_ASSISTANCE = Symbol('EDUCATION_ASSISTANCE');

/** An instant as the Beijing wall clock reads it, e.g. 2026-09-12 10:00:00. */
export const beijingTime = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);

/** `education-assistance` in force on a day (Beijing), as a decider takes it; 422 when there is none. */
export function educationTableOn(ctx: EducationContext, day: string): TableVersion<EducationAssistanceTable> {
  const v = ctx.policy.asOf('education-assistance', day);
  return { version: v.version, effectiveFrom: v.effectiveFrom, content: v.content };
}

/**
 * The table for a school year: the version in force on the year's first day (which the schedule in force
 * today names; the decider checks the version handed in is in force on the first term's day).
 */
export function educationTableForYear(
  ctx: EducationContext,
  schoolYear: number,
): TableVersion<EducationAssistanceTable> {
  const today = educationTableOn(ctx, beijingDay(ctx.now()));
  const first = today.content.terms[0]!;
  const year = Number.isInteger(schoolYear) ? schoolYear + first.yearOffset : 2000;
  return educationTableOn(ctx, `${String(year).padStart(4, '0')}-${first.startsOn}`);
}

/** The school the student is (or was last) enrolled at: its officers handle the student. */
export function currentSchool(state: EducationAssistanceState): School | null {
  let best: { from: string; school: School } | null = null;
  for (const r of state.record) {
    if (r.kind === 'enrolled' && (!best || r.from >= best.from)) best = { from: r.from, school: r.school };
  }
  return best?.school ?? null;
}

/** The student as recorded, 404 / 403 checked: the first step of every action on a student. */
export async function studentFor(
  ctx: EducationContext,
  actor: AuthenticatedActor,
  studentId: string,
  permission: string,
): Promise<EducationAssistanceState> {
  const { state } = /^[0-9a-f]{32}$/.test(studentId)
    ? await ctx.students.load(studentId)
    : { state: educationAssistanceDecider.initialState() };
  const school = currentSchool(state);
  if (!state.student || !school) throw new DomainError('STUDENT_NOT_FOUND', '该学生无在校（学籍）记录', 404);
  assertMay(ctx, actor, school.jurisdictionCode, permission);
  return state;
}
