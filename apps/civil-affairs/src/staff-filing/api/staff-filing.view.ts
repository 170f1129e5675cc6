import { maskIdNumber, maskName } from '@platform/auth';
import {
  RELATIONSHIP_NAMES,
  STAFF_KIND_NAMES,
  type Relative,
  type StaffFilingState,
} from '../domain/staff-filing.decider.js';

const STATUS_NAMES: Record<StaffFilingState['status'], string> = {
  none: '不存在',
  active: '在册',
  retired: '已注销（离岗）',
};

/**
 * A filing as officers read it: names of places, relationships and kinds in Chinese. `full` only for
 * the detail view, whose every use is recorded in the access log; otherwise ID numbers and relatives'
 * names are masked (the staff member's name stays: they are named as the holder of a public post).
 */
export function filingView(state: StaffFilingState, full: boolean, placeName: (code: string) => string) {
  const staff = state.staff!;
  const relative = (r: Relative) => ({
    name: full ? r.name : maskName(r.name),
    idNumber: full ? r.idNumber : maskIdNumber(r.idNumber),
    relationship: r.relationship,
    relationshipName: RELATIONSHIP_NAMES[r.relationship] ?? r.relationship,
  });
  return {
    filingId: state.filingId,
    status: state.status,
    statusName: STATUS_NAMES[state.status],
    staff: {
      name: staff.name,
      idNumber: full ? staff.idNumber : maskIdNumber(staff.idNumber),
      kind: staff.kind,
      kindName: STAFF_KIND_NAMES[staff.kind] ?? staff.kind,
      position: staff.position,
      organisation: staff.organisation,
      jurisdictionCode: staff.jurisdictionCode,
      jurisdictionName: placeName(staff.jurisdictionCode) || staff.jurisdictionCode,
    },
    relatives: state.relatives.map(relative),
    amendments: state.amendments.map((a) => ({
      added: a.added.map(relative),
      removed: a.removed.map(relative),
      reason: a.reason,
      byName: a.by.name,
      at: a.at,
    })),
    filedByName: state.filedBy?.name ?? null,
    filedAt: state.filedAt,
    updatedAt: state.updatedAt,
    retirement: state.retirement && {
      reason: state.retirement.reason,
      leftOn: state.retirement.leftOn,
      byName: state.retirement.by.name,
      at: state.retirement.at,
    },
  };
}
