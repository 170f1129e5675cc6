import { DomainError } from '@platform/contracts';

/**
 * The filing of a social-assistance staff member or a village / residents' committee cadre and their
 * close relatives (经办人员及近亲属备案), stream `staff-filing-<id>`. When anyone named in a filing in
 * force applies for dibao or special hardship, the application is flagged, handled with the filing on
 * record and visited at home without exception.
 *
 * Pure: the filing id, time, the post's place in the jurisdiction tree and any filing the same person
 * already has in force come in with the command. Resident ID numbers arrive validated (GB 11643-1999
 * checksum, by the DTO and again by the handler against the injected clock): the decider keeps the rules
 * that concern the filing itself.
 */

/** Who must file (备案对象). */
export const STAFF_KINDS = ['staff', 'cadre'] as const;
export type StaffKind = (typeof STAFF_KINDS)[number];

export const STAFF_KIND_NAMES: Record<StaffKind, string> = {
  staff: '民政部门、乡镇（街道）社会救助经办人员',
  cadre: '村（居）民委员会干部',
};

/** Close relatives (近亲属) a filing names: a fixed list. */
export const RELATIONSHIPS = [
  'spouse',
  'parent',
  'child',
  'sibling',
  'parent_in_law',
  'child_in_law',
  'grandparent',
  'grandchild',
] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const RELATIONSHIP_NAMES: Record<Relationship, string> = {
  spouse: '配偶',
  parent: '父母',
  child: '子女',
  sibling: '兄弟姐妹',
  parent_in_law: '配偶的父母',
  child_in_law: '子女的配偶',
  grandparent: '祖父母、外祖父母',
  grandchild: '孙子女、外孙子女',
};

/** A filing names the staff member (role `self`) and each close relative (role = the relationship). */
export type PersonRole = 'self' | Relationship;

export function roleName(role: string): string {
  return role === 'self' ? '本人' : (RELATIONSHIP_NAMES[role as Relationship] ?? role);
}

export type JurisdictionLevel = 'city' | 'county' | 'township' | 'village';

/** The staff member or cadre, and the post that makes them file. */
export interface StaffMember {
  name: string;
  idNumber: string;
  kind: StaffKind;
  /** e.g. 低保专干, 村党支部书记, 社会救助股股长. */
  position: string;
  /** e.g. 临河区民政局, 双河镇人民政府, 进步村村民委员会. */
  organisation: string;
  /** The node of the jurisdiction tree the post belongs to, with its level and ancestors. */
  jurisdictionCode: string;
  jurisdictionLevel: JurisdictionLevel;
  townshipCode: string | null;
  countyCode: string | null;
}

export interface Relative {
  name: string;
  idNumber: string;
  relationship: Relationship;
}

export interface ActorRef {
  id: string;
  name: string;
  role: string;
}

/** A filing of the same person (as the staff member) already in force, found by the handler. */
export interface ExistingFiling {
  filingId: string;
  staffName: string;
  organisation: string;
}

export type StaffFilingCommand =
  | {
      type: 'FileStaffMember';
      filingId: string;
      staff: StaffMember;
      relatives: Relative[];
      existingFiling: ExistingFiling | null;
      actor: ActorRef;
      now: string;
    }
  | {
      type: 'AmendRelatives';
      add: Relative[];
      /** ID numbers of relatives to take off the filing. */
      remove: string[];
      reason: string;
      actor: ActorRef;
      now: string;
    }
  | {
      type: 'RetireFiling';
      reason: string;
      /** The day the person left the post (YYYY-MM-DD, Beijing time). */
      leftOn: string;
      actor: ActorRef;
      now: string;
    };

export type StaffFilingEvent =
  | {
      type: 'civil-affairs.StaffMemberFiled';
      data: { filingId: string; staff: StaffMember; relatives: Relative[]; filedBy: ActorRef; at: string };
    }
  | {
      type: 'civil-affairs.StaffRelativesAmended';
      data: {
        filingId: string;
        added: Relative[];
        removed: Relative[];
        reason: string;
        by: ActorRef;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.StaffFilingRetired';
      data: { filingId: string; reason: string; leftOn: string; by: ActorRef; at: string };
    };

export interface Amendment {
  added: Relative[];
  removed: Relative[];
  reason: string;
  by: ActorRef;
  at: string;
}

export interface StaffFilingState {
  status: 'none' | 'active' | 'retired';
  filingId: string | null;
  staff: StaffMember | null;
  /** The close relatives named now. */
  relatives: Relative[];
  /** Every change to the relatives, oldest first. */
  amendments: Amendment[];
  filedBy: ActorRef | null;
  filedAt: string | null;
  updatedAt: string | null;
  retirement: { reason: string; leftOn: string; by: ActorRef; at: string } | null;
}

export const initialStaffFilingState = (): StaffFilingState => ({
  status: 'none',
  filingId: null,
  staff: null,
  relatives: [],
  amendments: [],
  filedBy: null,
  filedAt: null,
  updatedAt: null,
  retirement: null,
});

/** How many close relatives one filing may name (a household rarely has more than twenty). */
export const MAX_RELATIVES = 50;

function err(
  code: string,
  message: string,
  status: 404 | 409 | 422 = 422,
  details: Record<string, unknown> = {},
): never {
  throw new DomainError(code, message, status, details);
}

function required(value: string, field: string, label: string): string {
  const v = value?.trim() ?? '';
  if (!v) err('FIELD_REQUIRED', `${field}：${label}不能为空`, 422, { field });
  return v;
}

function cleanRelative(r: Relative, field: string): Relative {
  if (!(RELATIONSHIPS as readonly string[]).includes(r.relationship)) {
    err(
      'UNKNOWN_RELATIONSHIP',
      `${field}.relationship：近亲属关系应为 ${RELATIONSHIPS.map((k) => `${k}（${RELATIONSHIP_NAMES[k]}）`).join('、')} 之一`,
      422,
      { field: `${field}.relationship` },
    );
  }
  return {
    name: required(r.name, `${field}.name`, '近亲属姓名'),
    idNumber: required(r.idNumber, `${field}.idNumber`, '近亲属身份证号码').toUpperCase(),
    relationship: r.relationship,
  };
}

/**
 * No person twice in one filing: the staff member is not their own relative, and each relative is named
 * once. `named` is who the filing names already (field → person), in the order they were named.
 */
function assertNoDuplicates(
  named: Array<{ idNumber: string; name: string; where: string }>,
  added: Array<{ person: Relative; field: string }>,
): void {
  const seen = new Map(named.map((n) => [n.idNumber, n]));
  for (const { person, field } of added) {
    const before = seen.get(person.idNumber);
    if (before) {
      err(
        'DUPLICATE_ID_NUMBER',
        `${field}.idNumber：与${before.where}（${before.name}）的身份证号码相同，同一人在一份备案中只能登记一次`,
        422,
        { field: `${field}.idNumber` },
      );
    }
    seen.set(person.idNumber, { idNumber: person.idNumber, name: person.name, where: field });
  }
}

function assertOneSpouse(relatives: Relative[], field: string): void {
  if (relatives.filter((r) => r.relationship === 'spouse').length > 1) {
    err('ONE_SPOUSE', `${field}：配偶只能登记一人`, 422, { field });
  }
}

/** The Beijing calendar day of an instant. */
function beijingDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

function assertActive(state: StaffFilingState): void {
  if (state.status === 'none') err('FILING_NOT_FOUND', '备案不存在', 404);
  if (state.status === 'retired') {
    err(
      'FILING_RETIRED',
      `该备案已于 ${state.retirement!.leftOn} 因离岗注销，不能再变更；如重新任职请重新备案`,
      409,
      { filingId: state.filingId },
    );
  }
}

export function decideStaffFiling(command: StaffFilingCommand, state: StaffFilingState): StaffFilingEvent[] {
  switch (command.type) {
    case 'FileStaffMember': {
      if (state.status !== 'none') err('FILING_EXISTS', '备案已存在', 409, { filingId: state.filingId });
      const s = command.staff;
      if (!(STAFF_KINDS as readonly string[]).includes(s.kind)) {
        err(
          'UNKNOWN_STAFF_KIND',
          'staff.kind：备案对象应为 staff（经办人员）或 cadre（村（居）委会干部）',
          422,
          {
            field: 'staff.kind',
          },
        );
      }
      const staff: StaffMember = {
        ...s,
        name: required(s.name, 'staff.name', '姓名'),
        idNumber: required(s.idNumber, 'staff.idNumber', '身份证号码').toUpperCase(),
        position: required(s.position, 'staff.position', '职务'),
        organisation: required(s.organisation, 'staff.organisation', '工作单位'),
      };
      if (staff.kind === 'cadre' && staff.jurisdictionLevel !== 'village') {
        err('CADRE_POST_NOT_VILLAGE', 'staff.jurisdictionCode：村（居）委会干部的任职地应为村（社区）', 422, {
          field: 'staff.jurisdictionCode',
        });
      }
      if (staff.kind === 'staff' && staff.jurisdictionLevel === 'village') {
        err(
          'STAFF_POST_IS_VILLAGE',
          'staff.jurisdictionCode：经办人员的任职地应为市、旗县区或乡镇（街道）；村（居）委会干部请选择 cadre',
          422,
          { field: 'staff.jurisdictionCode' },
        );
      }
      if (command.relatives.length > MAX_RELATIVES) {
        err('TOO_MANY_RELATIVES', `relatives：一份备案最多登记 ${MAX_RELATIVES} 名近亲属`, 422, {
          field: 'relatives',
        });
      }
      const relatives = command.relatives.map((r, i) => cleanRelative(r, `relatives[${i}]`));
      assertNoDuplicates(
        [{ idNumber: staff.idNumber, name: staff.name, where: '备案人本人' }],
        relatives.map((person, i) => ({ person, field: `relatives[${i}]` })),
      );
      assertOneSpouse(relatives, 'relatives');
      const existing = command.existingFiling;
      if (existing) {
        err(
          'STAFF_ALREADY_FILED',
          `${staff.name}已有在册备案（备案编号 ${existing.filingId}，${existing.organisation}），请在原备案上变更近亲属，或先注销原备案`,
          409,
          { existingFilingId: existing.filingId },
        );
      }
      return [
        {
          type: 'civil-affairs.StaffMemberFiled',
          data: { filingId: command.filingId, staff, relatives, filedBy: command.actor, at: command.now },
        },
      ];
    }
    case 'AmendRelatives': {
      assertActive(state);
      const reason = required(command.reason, 'reason', '变更理由');
      if (command.add.length === 0 && command.remove.length === 0) {
        err('NOTHING_TO_AMEND', 'add、remove：至少增加或删除一名近亲属', 422, { field: 'add' });
      }
      const removeIds = command.remove.map((id, i) =>
        required(id, `remove[${i}]`, '身份证号码').toUpperCase(),
      );
      const removed: Relative[] = [];
      removeIds.forEach((id, i) => {
        const r = state.relatives.find((x) => x.idNumber === id);
        if (!r) {
          err('RELATIVE_NOT_FILED', `remove[${i}]：该身份证号码不在本备案的近亲属中`, 422, {
            field: `remove[${i}]`,
          });
        }
        if (removed.some((x) => x.idNumber === id)) {
          err('DUPLICATE_ID_NUMBER', `remove[${i}]：同一近亲属重复删除`, 422, { field: `remove[${i}]` });
        }
        removed.push(r);
      });
      const added = command.add.map((r, i) => cleanRelative(r, `add[${i}]`));
      const kept = state.relatives.filter((r) => !removeIds.includes(r.idNumber));
      // A relative kept on the filing is already named: adding them again is a conflict with the record.
      added.forEach((a, i) => {
        const current = kept.find((r) => r.idNumber === a.idNumber);
        if (current) {
          err(
            'RELATIVE_ALREADY_FILED',
            `add[${i}].idNumber：已在本备案中登记为${RELATIONSHIP_NAMES[current.relationship]}（${current.name}）`,
            409,
            { field: `add[${i}].idNumber` },
          );
        }
      });
      assertNoDuplicates(
        [{ idNumber: state.staff!.idNumber, name: state.staff!.name, where: '备案人本人' }],
        added.map((person, i) => ({ person, field: `add[${i}]` })),
      );
      const after = [...kept, ...added];
      if (after.length > MAX_RELATIVES) {
        err('TOO_MANY_RELATIVES', `add：一份备案最多登记 ${MAX_RELATIVES} 名近亲属`, 422, { field: 'add' });
      }
      assertOneSpouse(after, 'add');
      return [
        {
          type: 'civil-affairs.StaffRelativesAmended',
          data: { filingId: state.filingId!, added, removed, reason, by: command.actor, at: command.now },
        },
      ];
    }
    case 'RetireFiling': {
      assertActive(state);
      const reason = required(command.reason, 'reason', '注销理由');
      if (!isCalendarDay(command.leftOn)) {
        err('INVALID_DATE', 'leftOn：离岗日期应为有效日期（YYYY-MM-DD）', 422, { field: 'leftOn' });
      }
      if (command.leftOn > beijingDay(command.now)) {
        err('LEFT_IN_FUTURE', 'leftOn：离岗日期不能晚于今天，请在离岗后再注销备案', 422, { field: 'leftOn' });
      }
      return [
        {
          type: 'civil-affairs.StaffFilingRetired',
          data: {
            filingId: state.filingId!,
            reason,
            leftOn: command.leftOn,
            by: command.actor,
            at: command.now,
          },
        },
      ];
    }
    default: {
      const never: never = command;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

export function evolveStaffFiling(state: StaffFilingState, event: StaffFilingEvent): StaffFilingState {
  switch (event.type) {
    case 'civil-affairs.StaffMemberFiled':
      return {
        ...state,
        status: 'active',
        filingId: event.data.filingId,
        staff: event.data.staff,
        relatives: event.data.relatives,
        filedBy: event.data.filedBy,
        filedAt: event.data.at,
        updatedAt: event.data.at,
      };
    case 'civil-affairs.StaffRelativesAmended': {
      const removed = new Set(event.data.removed.map((r) => r.idNumber));
      return {
        ...state,
        relatives: [...state.relatives.filter((r) => !removed.has(r.idNumber)), ...event.data.added],
        amendments: [
          ...state.amendments,
          {
            added: event.data.added,
            removed: event.data.removed,
            reason: event.data.reason,
            by: event.data.by,
            at: event.data.at,
          },
        ],
        updatedAt: event.data.at,
      };
    }
    case 'civil-affairs.StaffFilingRetired':
      return {
        ...state,
        status: 'retired',
        retirement: {
          reason: event.data.reason,
          leftOn: event.data.leftOn,
          by: event.data.by,
          at: event.data.at,
        },
        updatedAt: event.data.at,
      };
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const staffFilingDecider = {
  decide: decideStaffFiling,
  evolve: evolveStaffFiling,
  initialState: initialStaffFilingState,
};

/** Everyone the filing names, the staff member first; `active` is false for those no longer in force. */
export function peopleOf(state: StaffFilingState): Array<{
  idNumber: string;
  name: string;
  role: PersonRole;
  active: boolean;
}> {
  if (state.status === 'none') return [];
  const inForce = state.status === 'active';
  const out = new Map<string, { idNumber: string; name: string; role: PersonRole; active: boolean }>();
  out.set(state.staff!.idNumber, {
    idNumber: state.staff!.idNumber,
    name: state.staff!.name,
    role: 'self',
    active: inForce,
  });
  // Relatives taken off the filing stay visible as former entries, unless named again since.
  for (const a of state.amendments) {
    for (const r of a.removed) {
      if (!out.has(r.idNumber))
        out.set(r.idNumber, { idNumber: r.idNumber, name: r.name, role: r.relationship, active: false });
    }
  }
  for (const r of state.relatives) {
    out.set(r.idNumber, { idNumber: r.idNumber, name: r.name, role: r.relationship, active: inForce });
  }
  return [...out.values()];
}
