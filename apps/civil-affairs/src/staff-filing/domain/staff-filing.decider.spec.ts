import { DomainError } from '@platform/contracts';
import { deciderSpec } from '@platform/testing';
import {
  peopleOf,
  staffFilingDecider,
  type Relative,
  type StaffFilingCommand,
  type StaffFilingEvent,
  type StaffFilingState,
  type StaffMember,
} from './staff-filing.decider.js';

const spec = deciderSpec<StaffFilingCommand, StaffFilingEvent, StaffFilingState>(staffFilingDecider);
const filingId = '0190a4c4-0000-7000-8000-00000000f001';
const now = '2026-11-27T02:00:00.000Z';
const county = { id: 'u-linhe-civil', name: '临河区民政局经办人', role: 'county_civil_affairs' };

// Valid resident IDs (GB 11643-1999 check characters).
const STAFF_ID = '150802198001010012';
const SPOUSE_ID = '150802198203040025';
const CHILD_ID = '150802200805060031';
const FATHER_ID = '150802195507080049';

const staff: StaffMember = {
  name: '李建国',
  idNumber: STAFF_ID,
  kind: 'staff',
  position: '低保专干',
  organisation: '双河镇人民政府',
  jurisdictionCode: '150802100000',
  jurisdictionLevel: 'township',
  townshipCode: '150802100000',
  countyCode: '150802000000',
};
const spouse: Relative = { name: '王秀英', idNumber: SPOUSE_ID, relationship: 'spouse' };
const child: Relative = { name: '李明', idNumber: CHILD_ID, relationship: 'child' };
const father: Relative = { name: '李大山', idNumber: FATHER_ID, relationship: 'parent' };

function file(
  overrides: Partial<Extract<StaffFilingCommand, { type: 'FileStaffMember' }>> = {},
): Extract<StaffFilingCommand, { type: 'FileStaffMember' }> {
  return {
    type: 'FileStaffMember',
    filingId,
    staff,
    relatives: [spouse, child],
    existingFiling: null,
    actor: county,
    now,
    ...overrides,
  };
}

const filed: StaffFilingEvent = {
  type: 'civil-affairs.StaffMemberFiled',
  data: { filingId, staff, relatives: [spouse, child], filedBy: county, at: now },
};

function amend(
  overrides: Partial<Extract<StaffFilingCommand, { type: 'AmendRelatives' }>> = {},
): StaffFilingCommand {
  return {
    type: 'AmendRelatives',
    add: [],
    remove: [],
    reason: '家庭成员变化',
    actor: county,
    now,
    ...overrides,
  };
}

const retired: StaffFilingEvent = {
  type: 'civil-affairs.StaffFilingRetired',
  data: { filingId, reason: '调离社会救助岗位', leftOn: '2026-11-20', by: county, at: now },
};

function codeOf(run: () => unknown): { code: string; status: number; message: string } {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return { code: e.code, status: e.status, message: e.message };
    throw e;
  }
  throw new Error('expected a DomainError');
}

const decide = (events: StaffFilingEvent[], command: StaffFilingCommand) => () =>
  staffFilingDecider.decide(
    command,
    events.reduce(staffFilingDecider.evolve, staffFilingDecider.initialState()),
  );

describe('staff-relative filing (经办人员及近亲属备案)', () => {
  describe('FileStaffMember', () => {
    it('files the staff member and their close relatives', () => {
      spec.given([]).when(file()).then([filed]);
    });

    it('files a staff member with no relatives to declare (the person themself is still flagged)', () => {
      spec
        .given([])
        .when(file({ relatives: [] }))
        .thenState((state) => {
          expect(state.status).toBe('active');
          expect(peopleOf(state)).toEqual([
            { idNumber: STAFF_ID, name: '李建国', role: 'self', active: true },
          ]);
        });
    });

    it('trims names and upper-cases the check character', () => {
      spec
        .given([])
        .when(
          file({
            staff: { ...staff, name: ' 李建国 ', idNumber: '15080219900101005x' },
            relatives: [{ ...spouse, name: ' 王秀英' }],
          }),
        )
        .thenState((state) => {
          expect(state.staff).toMatchObject({ name: '李建国', idNumber: '15080219900101005X' });
          expect(state.relatives[0]!.name).toBe('王秀英');
        });
    });

    it('refuses the same staff member filed again while a filing is in force, naming that filing (409)', () => {
      const e = codeOf(
        decide(
          [],
          file({
            existingFiling: { filingId: 'f-existing', staffName: '李建国', organisation: '双河镇人民政府' },
          }),
        ),
      );
      expect(e).toMatchObject({ code: 'STAFF_ALREADY_FILED', status: 409 });
      expect(e.message).toContain('f-existing');
      expect(e.message).toContain('双河镇人民政府');
    });

    it('refuses the staff member named again as their own relative', () => {
      const e = codeOf(decide([], file({ relatives: [{ ...father, idNumber: STAFF_ID }] })));
      expect(e).toMatchObject({ code: 'DUPLICATE_ID_NUMBER', status: 422 });
      expect(e.message).toContain('relatives[0].idNumber');
      expect(e.message).toContain('备案人本人');
    });

    it('refuses one relative named twice', () => {
      const e = codeOf(decide([], file({ relatives: [spouse, child, { ...father, idNumber: CHILD_ID }] })));
      expect(e).toMatchObject({ code: 'DUPLICATE_ID_NUMBER', status: 422 });
      expect(e.message).toContain('relatives[2].idNumber');
      expect(e.message).toContain('relatives[1]（李明）');
    });

    it('refuses two spouses', () => {
      const e = codeOf(decide([], file({ relatives: [spouse, { ...father, relationship: 'spouse' }] })));
      expect(e).toMatchObject({ code: 'ONE_SPOUSE', status: 422 });
    });

    it('refuses a relationship outside the fixed list', () => {
      const e = codeOf(
        decide([], file({ relatives: [{ ...father, relationship: 'cousin' as Relative['relationship'] }] })),
      );
      expect(e).toMatchObject({ code: 'UNKNOWN_RELATIONSHIP', status: 422 });
      expect(e.message).toContain('relatives[0].relationship');
      expect(e.message).toContain('配偶');
    });

    it('refuses empty position, organisation or names', () => {
      expect(codeOf(decide([], file({ staff: { ...staff, position: '  ' } }))).message).toContain(
        'staff.position',
      );
      expect(codeOf(decide([], file({ staff: { ...staff, organisation: '' } }))).message).toContain(
        'staff.organisation',
      );
      expect(codeOf(decide([], file({ relatives: [{ ...spouse, name: ' ' }] }))).message).toContain(
        'relatives[0].name',
      );
    });

    it('a cadre serves a village or residents’ committee; a staff member does not', () => {
      expect(codeOf(decide([], file({ staff: { ...staff, kind: 'cadre' } })))).toMatchObject({
        code: 'CADRE_POST_NOT_VILLAGE',
        status: 422,
      });
      const village = { jurisdictionCode: '150802100201', jurisdictionLevel: 'village' as const };
      expect(codeOf(decide([], file({ staff: { ...staff, ...village } })))).toMatchObject({
        code: 'STAFF_POST_IS_VILLAGE',
      });
      spec
        .given([])
        .when(file({ staff: { ...staff, ...village, kind: 'cadre', position: '村委会主任' } }))
        .thenState((state) => expect(state.staff!.kind).toBe('cadre'));
    });

    it('refuses a filing id already used', () => {
      expect(codeOf(decide([filed], file()))).toMatchObject({ code: 'FILING_EXISTS', status: 409 });
    });
  });

  describe('AmendRelatives', () => {
    it('adds and removes relatives with a reason, keeping who was taken off', () => {
      spec
        .given([filed])
        .when(amend({ add: [father], remove: [SPOUSE_ID], reason: '离婚；补报父亲' }))
        .then([
          {
            type: 'civil-affairs.StaffRelativesAmended',
            data: {
              filingId,
              added: [father],
              removed: [spouse],
              reason: '离婚；补报父亲',
              by: county,
              at: now,
            },
          },
        ]);
      spec
        .given([filed])
        .when(amend({ add: [father], remove: [SPOUSE_ID] }))
        .thenState((state) => {
          expect(state.relatives.map((r) => r.name)).toEqual(['李明', '李大山']);
          expect(peopleOf(state)).toEqual([
            { idNumber: STAFF_ID, name: '李建国', role: 'self', active: true },
            { idNumber: SPOUSE_ID, name: '王秀英', role: 'spouse', active: false },
            { idNumber: CHILD_ID, name: '李明', role: 'child', active: true },
            { idNumber: FATHER_ID, name: '李大山', role: 'parent', active: true },
          ]);
        });
    });

    it('may remove and add the same person again to correct the relationship', () => {
      spec
        .given([filed])
        .when(amend({ remove: [CHILD_ID], add: [{ ...child, relationship: 'child_in_law' }] }))
        .thenState((state) =>
          expect(state.relatives).toEqual([spouse, { ...child, relationship: 'child_in_law' }]),
        );
    });

    it('requires a reason and at least one change', () => {
      expect(codeOf(decide([filed], amend({ add: [father], reason: ' ' })))).toMatchObject({
        code: 'FIELD_REQUIRED',
        status: 422,
      });
      expect(codeOf(decide([filed], amend()))).toMatchObject({ code: 'NOTHING_TO_AMEND', status: 422 });
    });

    it('refuses a relative already on the filing (409) and the staff member as a relative', () => {
      const again = codeOf(decide([filed], amend({ add: [{ ...father, idNumber: SPOUSE_ID }] })));
      expect(again).toMatchObject({ code: 'RELATIVE_ALREADY_FILED', status: 409 });
      expect(again.message).toContain('配偶（王秀英）');
      expect(codeOf(decide([filed], amend({ add: [{ ...father, idNumber: STAFF_ID }] })))).toMatchObject({
        code: 'DUPLICATE_ID_NUMBER',
      });
      expect(codeOf(decide([filed], amend({ add: [father, father] })))).toMatchObject({
        code: 'DUPLICATE_ID_NUMBER',
      });
    });

    it('refuses to remove someone the filing does not name', () => {
      const e = codeOf(decide([filed], amend({ remove: [FATHER_ID] })));
      expect(e).toMatchObject({ code: 'RELATIVE_NOT_FILED', status: 422 });
      expect(e.message).toContain('remove[0]');
    });

    it('keeps one spouse', () => {
      expect(codeOf(decide([filed], amend({ add: [{ ...father, relationship: 'spouse' }] })))).toMatchObject({
        code: 'ONE_SPOUSE',
      });
    });

    it('is refused on a filing that does not exist (404) or was retired (409)', () => {
      expect(codeOf(decide([], amend({ add: [father] })))).toMatchObject({
        code: 'FILING_NOT_FOUND',
        status: 404,
      });
      expect(codeOf(decide([filed, retired], amend({ add: [father] })))).toMatchObject({
        code: 'FILING_RETIRED',
        status: 409,
      });
    });
  });

  describe('RetireFiling', () => {
    const retire = (leftOn: string, reason = '调离社会救助岗位'): StaffFilingCommand => ({
      type: 'RetireFiling',
      reason,
      leftOn,
      actor: county,
      now,
    });

    it('ends the filing when the person leaves the post: no one on it is in force any more', () => {
      spec.given([filed]).when(retire('2026-11-20')).then([retired]);
      spec
        .given([filed])
        .when(retire('2026-11-20'))
        .thenState((state) => {
          expect(state.status).toBe('retired');
          expect(peopleOf(state).every((p) => !p.active)).toBe(true);
        });
    });

    it('takes today (Beijing time) as the latest day of leaving', () => {
      // 02:00Z is 10:00 in Beijing on the 27th.
      spec
        .given([filed])
        .when(retire('2026-11-27'))
        .thenState((state) => expect(state.retirement!.leftOn).toBe('2026-11-27'));
      expect(codeOf(decide([filed], retire('2026-11-28')))).toMatchObject({
        code: 'LEFT_IN_FUTURE',
        status: 422,
      });
      expect(codeOf(decide([filed], retire('2026-02-30')))).toMatchObject({ code: 'INVALID_DATE' });
    });

    it('requires a reason, an existing filing, and retires it once', () => {
      expect(codeOf(decide([filed], retire('2026-11-20', '')))).toMatchObject({ code: 'FIELD_REQUIRED' });
      expect(codeOf(decide([], retire('2026-11-20')))).toMatchObject({ status: 404 });
      expect(codeOf(decide([filed, retired], retire('2026-11-20')))).toMatchObject({
        code: 'FILING_RETIRED',
        status: 409,
      });
    });
  });
});
