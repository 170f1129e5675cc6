import { DomainError } from '@platform/contracts';

/**
 * A household economic verification (家庭经济状况核对), stream `verification-<id>` in civil affairs: asked
 * of every department on the platform with the household's written authorisation (核对授权书), answered
 * by each from its own records within a deadline, by departments not on the platform through an imported
 * answer file; assembled into the report the officers handling the application read. A department may
 * correct its answer later: the new answer counts, the earlier ones stay in the history.
 *
 * Pure: ids, time, the deadline and the departments asked come in with each command.
 */

export interface Officer {
  id: string;
  name: string;
  role: string;
}

export interface Member {
  name: string;
  idNumber: string;
  relationship: string;
}

export interface Authorisation {
  /** The authorisation's reference (e.g. its archive number). */
  reference: string;
  /** The day (YYYY-MM-DD) the members signed it. */
  signedOn: string;
}

export interface VerificationDetails {
  verificationId: string;
  caseId: string | null;
  applicationId: string | null;
  countyCode: string;
  villageCode: string;
  members: Member[];
  authorisation: Authorisation;
  /** The day the answers are as of. */
  asOf: string;
}

/** An answer as recorded: the department's own (over the platform) or imported from its answer file. */
export interface RecordedAnswer {
  department: string;
  answer: Record<string, unknown>;
  source: 'platform' | 'import';
  /** The officer who imported it; null for an answer over the platform. */
  by: Officer | null;
  correction: boolean;
  at: string;
}

export type VerificationCommand =
  | {
      type: 'RequestVerification';
      details: VerificationDetails;
      /** The departments on the platform that must answer. */
      departments: string[];
      dueAt: string;
      policy: Record<string, number>;
      officer: Officer;
      now: string;
    }
  | { type: 'RecordAnswer'; department: string; answer: Record<string, unknown>; now: string }
  | {
      type: 'ImportAnswer';
      department: string;
      answer: Record<string, unknown>;
      officer: Officer;
      now: string;
    }
  | { type: 'MarkOverdue'; now: string };

interface Ids {
  verificationId: string;
}

export type VerificationEvent =
  | {
      type: 'civil-affairs.VerificationOpened';
      data: VerificationDetails & {
        departments: string[];
        dueAt: string;
        policy: Record<string, number>;
        by: Officer;
        at: string;
      };
    }
  | {
      /** The public request (contract `civil-affairs.VerificationRequested`): no names. */
      type: 'civil-affairs.VerificationRequested';
      data: Ids & {
        caseId: string | null;
        applicationId: string | null;
        countyCode: string;
        members: Array<{ idNumber: string; relationship: string }>;
        authorisation: Authorisation;
        asOf: string;
        dueAt: string;
        at: string;
      };
    }
  | { type: 'civil-affairs.VerificationAnswerRecorded'; data: Ids & RecordedAnswer }
  | {
      type: 'civil-affairs.VerificationAnswerOverdue';
      data: Ids & { department: string; dueAt: string; at: string };
    };

export interface VerificationState {
  status: 'none' | 'requested';
  details: VerificationDetails | null;
  departments: string[];
  dueAt: string | null;
  requestedBy: Officer | null;
  requestedAt: string | null;
  /** Every answer in the order recorded; the last of each department counts. */
  answers: RecordedAnswer[];
  overdue: string[];
}

export const initialVerificationState = (): VerificationState => ({
  status: 'none',
  details: null,
  departments: [],
  dueAt: null,
  requestedBy: null,
  requestedAt: null,
  answers: [],
  overdue: [],
});

const REQUESTERS = ['township_officer', 'county_civil_affairs'];
const IMPORTERS = ['county_civil_affairs'];
const ID_NUMBER = /^\d{17}[\dX]$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function fail(code: string, message: string, status: 403 | 404 | 409 | 422 = 422, details = {}): never {
  throw new DomainError(code, message, status, details);
}

/** The answer that counts for a department: its latest. */
export function currentAnswers(state: VerificationState): Map<string, RecordedAnswer> {
  const current = new Map<string, RecordedAnswer>();
  for (const a of state.answers) current.set(a.department, a);
  return current;
}

/** Departments asked that have not answered yet. */
export function pendingDepartments(state: VerificationState): string[] {
  const answered = currentAnswers(state);
  return state.departments.filter((d) => !answered.has(d));
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function record(
  state: VerificationState,
  department: string,
  answer: Record<string, unknown>,
  source: 'platform' | 'import',
  by: Officer | null,
  now: string,
): VerificationEvent[] {
  if (state.status === 'none') fail('VERIFICATION_NOT_FOUND', '核对请求不存在', 404);
  const previous = currentAnswers(state).get(department);
  // The same answer again (a redelivery, a file imported twice) changes nothing.
  if (previous && same(previous.answer, answer)) return [];
  return [
    {
      type: 'civil-affairs.VerificationAnswerRecorded',
      data: {
        verificationId: state.details!.verificationId,
        department,
        answer,
        source,
        by,
        correction: previous !== undefined,
        at: now,
      },
    },
  ];
}

export function decideVerification(
  command: VerificationCommand,
  state: VerificationState,
): VerificationEvent[] {
  switch (command.type) {
    case 'RequestVerification': {
      if (!REQUESTERS.includes(command.officer.role)) {
        fail('ROLE_NOT_ALLOWED', '当前角色不能发起家庭经济状况核对', 403, {
          permission: 'verification:request',
        });
      }
      // The same request again (a retried POST with the same id) changes nothing.
      if (state.status !== 'none') return [];
      const d = command.details;
      const reference = d.authorisation.reference?.trim();
      if (!reference || !DAY.test(d.authorisation.signedOn ?? '')) {
        fail(
          'AUTHORISATION_REQUIRED',
          'authorisation：须记录家庭成员签署的核对授权书（编号和签署日期），未经授权不得核对',
          422,
          { field: 'authorisation' },
        );
      }
      if (d.authorisation.signedOn > d.asOf) {
        fail('AUTHORISATION_DATE', 'authorisation.signedOn：授权书签署日期不能晚于核对日期', 422, {
          field: 'authorisation.signedOn',
        });
      }
      if (d.members.length === 0) {
        fail('MEMBERS_REQUIRED', 'members：须列出被核对的家庭成员', 422, { field: 'members' });
      }
      const ids = d.members.map((m) => m.idNumber);
      const bad = ids.find((id) => !ID_NUMBER.test(id));
      if (bad) fail('ID_NUMBER_INVALID', `members：身份证号码 ${bad} 格式不正确`, 422, { field: 'members' });
      if (new Set(ids).size !== ids.length) {
        fail('DUPLICATE_MEMBER', 'members：家庭成员身份证号码重复', 422, { field: 'members' });
      }
      const at = command.now;
      return [
        {
          type: 'civil-affairs.VerificationOpened',
          data: {
            ...d,
            authorisation: { reference, signedOn: d.authorisation.signedOn },
            departments: command.departments,
            dueAt: command.dueAt,
            policy: command.policy,
            by: command.officer,
            at,
          },
        },
        {
          type: 'civil-affairs.VerificationRequested',
          data: {
            verificationId: d.verificationId,
            caseId: d.caseId,
            applicationId: d.applicationId,
            countyCode: d.countyCode,
            members: d.members.map((m) => ({ idNumber: m.idNumber, relationship: m.relationship })),
            authorisation: { reference, signedOn: d.authorisation.signedOn },
            asOf: d.asOf,
            dueAt: command.dueAt,
            at,
          },
        },
      ];
    }

    case 'RecordAnswer': {
      if (state.status !== 'none' && !state.departments.includes(command.department)) {
        // A department that was not asked (or a message on the wrong topic) does not add to the report.
        fail('DEPARTMENT_NOT_ASKED', `未向 ${command.department} 发出核对请求`, 409);
      }
      return record(state, command.department, command.answer, 'platform', null, command.now);
    }

    case 'ImportAnswer': {
      if (!IMPORTERS.includes(command.officer.role)) {
        fail('ROLE_NOT_ALLOWED', '当前角色不能导入核对结果', 403, { permission: 'verification:import' });
      }
      if (state.departments.includes(command.department)) {
        fail(
          'DEPARTMENT_ON_PLATFORM',
          `department：${command.department} 已接入平台，由其在平台上回复，不能导入`,
          409,
          { field: 'department' },
        );
      }
      return record(state, command.department, command.answer, 'import', command.officer, command.now);
    }

    case 'MarkOverdue': {
      if (state.status === 'none' || !state.dueAt || Date.parse(command.now) <= Date.parse(state.dueAt))
        return [];
      return pendingDepartments(state)
        .filter((d) => !state.overdue.includes(d))
        .map((department) => ({
          type: 'civil-affairs.VerificationAnswerOverdue' as const,
          data: {
            verificationId: state.details!.verificationId,
            department,
            dueAt: state.dueAt!,
            at: command.now,
          },
        }));
    }

    default: {
      const never: never = command;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

export function evolveVerification(state: VerificationState, event: VerificationEvent): VerificationState {
  switch (event.type) {
    case 'civil-affairs.VerificationOpened': {
      const { departments, dueAt, policy: _p, by, at, ...details } = event.data;
      return {
        ...state,
        status: 'requested',
        details,
        departments,
        dueAt,
        requestedBy: by,
        requestedAt: at,
      };
    }
    case 'civil-affairs.VerificationRequested':
      return state;
    case 'civil-affairs.VerificationAnswerRecorded': {
      const { verificationId: _v, ...answer } = event.data;
      return { ...state, answers: [...state.answers, answer] };
    }
    case 'civil-affairs.VerificationAnswerOverdue':
      return { ...state, overdue: [...state.overdue, event.data.department] };
  }
}

export const verificationDecider = {
  decide: decideVerification,
  evolve: evolveVerification,
  initialState: initialVerificationState,
};
