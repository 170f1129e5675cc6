import { beijingMinute as beijingTime } from '@platform/contracts';
import { ROLE_NAMES_ZH, type Role } from '@platform/auth';
import {
  COORDINATION_STATUS_NAMES,
  departmentName,
  isOverdue,
  type CoordinationState,
  type Officer,
} from '../domain/coordination.decider.js';

const officer = (o: Officer) => ({
  name: o.name,
  roleName: ROLE_NAMES_ZH[o.role as Role] ?? o.role,
  departmentName: departmentName(o.department),
});

/**
 * A coordination item as officers read it: departments, places and officers by name, statuses in
 * Chinese, times in Beijing time. `now` decides which open decisions are past their deadline.
 */
export function coordinationView(state: CoordinationState, placeName: (code: string) => string, now: Date) {
  const item = state.item!;
  const at = now.toISOString();
  return {
    itemId: item.itemId,
    caseId: item.caseId,
    caseNumber: item.caseNumber,
    need: item.need,
    departments: item.departments.map((d) => ({ department: d, departmentName: departmentName(d) })),
    villageName: placeName(item.place.villageCode) || item.place.villageCode,
    countyName: placeName(item.place.countyCode) || item.place.countyCode,
    status: state.status,
    statusName: COORDINATION_STATUS_NAMES[state.status],
    openedBy: officer(state.openedBy!),
    openedAt: beijingTime(state.openedAt!),
    meetings: state.meetings.map((m) => ({
      meetingId: m.meetingId,
      heldOn: m.heldOn,
      departmentNames: m.departments.map(departmentName),
      minutes: m.minutes,
      decisionIds: m.decisionIds,
      recordedBy: officer(m.recordedBy),
      recordedAt: beijingTime(m.at),
    })),
    decisions: state.decisions.map((d) => ({
      decisionId: d.decisionId,
      meetingId: d.meetingId,
      text: d.text,
      ownerDepartment: d.ownerDepartment,
      ownerDepartmentName: departmentName(d.ownerDepartment),
      dueOn: d.dueOn,
      done: d.done !== null,
      statusName: d.done
        ? d.done.late
          ? '已办结（逾期）'
          : '已办结'
        : isOverdue(d, at)
          ? '已逾期'
          : '办理中',
      overdue: d.overdueAt !== null || isOverdue(d, at),
      overdueFlaggedAt: d.overdueAt && beijingTime(d.overdueAt),
      result: d.done?.result ?? null,
      doneBy: d.done ? officer(d.done.by) : null,
      doneAt: d.done ? beijingTime(d.done.at) : null,
    })),
    followUps: state.followUps.map((f) => ({ note: f.note, by: officer(f.by), at: beijingTime(f.at) })),
    closure: state.closure && {
      outcomeName: state.closure.outcome === 'all_done' ? '议定事项全部办结' : '旗县区民政部门说明理由办结',
      reason: state.closure.reason || null,
      by: officer(state.closure.by),
      at: beijingTime(state.closure.at),
    },
    updatedAt: beijingTime(state.updatedAt!),
  };
}
