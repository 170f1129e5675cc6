import { beijingMinute as beijingTime } from '@platform/contracts';
import { maskIdNumber, ROLE_NAMES_ZH, type Role } from '@platform/auth';
import {
  AREA_NAMES,
  HARDSHIP_KIND_NAMES,
  OBLIGATION_STATUS_NAMES,
  PAYMENT_METHOD_NAMES,
  STATUS_NAMES,
  URGENCY_NAMES,
  type Officer,
  type TemporaryAssistanceState,
  type TownshipLimit,
} from '../domain/temporary-assistance.decider.js';

const officer = (o: Officer) => ({ name: o.name, roleName: ROLE_NAMES_ZH[o.role as Role] ?? o.role });

const limitView = (l: TownshipLimit) => ({
  day: l.day,
  multiple: l.multiple,
  standardMonthly: l.standardMonthly,
  limit: l.limit,
  text: `${l.multiple} × ${l.standardMonthly} = ${l.limit} 元`,
  tableVersions: {
    'temporary-assistance-limits': l.limitsVersion,
    'allowance-standards': l.standardsVersion,
  },
});

/**
 * An application as officers read it: names of people, places and officers (no ids), kinds and statuses
 * in Chinese, amounts in yuan, times in Beijing time. `full` (ID numbers unmasked) only for the detail
 * view, whose every use is recorded in the access log.
 */
export function temporaryAssistanceView(
  state: TemporaryAssistanceState,
  full: boolean,
  placeName: (code: string) => string,
) {
  const app = state.application!;
  const d = state.decision;
  return {
    applicationId: app.applicationId,
    status: state.status,
    statusName: STATUS_NAMES[state.status],
    /** The intake case (and referral) the application was opened from; null when recorded at the window. */
    referral: app.referral
      ? {
          caseId: app.referral.caseId,
          referralId: app.referral.referralId,
          caseNumber: app.referral.caseNumber,
        }
      : null,
    members: app.members.map((m, i) => ({
      name: m.name,
      idNumber: full ? m.idNumber : maskIdNumber(m.idNumber),
      roleName: i === 0 ? '申请人' : '家庭成员',
    })),
    hardship: {
      kind: app.hardship.kind,
      kindName: HARDSHIP_KIND_NAMES[app.hardship.kind] ?? app.hardship.kind,
      description: app.hardship.description,
    },
    requestedAmount: app.requestedAmount,
    urgency: app.urgency ?? 'normal',
    urgencyName: URGENCY_NAMES[app.urgency ?? 'normal'],
    area: app.area,
    areaName: AREA_NAMES[app.area] ?? app.area,
    villageName: placeName(app.place.villageCode) || app.place.villageCode,
    townshipName: placeName(app.place.townshipCode) || app.place.townshipCode,
    countyName: placeName(app.place.countyCode) || app.place.countyName,
    recordedBy: officer(state.recordedBy!),
    recordedAt: beijingTime(state.recordedAt!),
    submission: state.submission && {
      proposedAmount: state.submission.proposedAmount,
      opinion: state.submission.opinion,
      townshipLimit: limitView(state.submission.limit),
      by: officer(state.submission.by),
      at: beijingTime(state.submission.at),
    },
    decision: d && {
      levelName: d.level === 'county' ? '旗县区民政部门' : '乡镇（街道）',
      outcomeName: d.outcome === 'granted' ? '给予救助' : '不予救助',
      amount: d.amount,
      opinion: d.outcome === 'granted' ? d.text : null,
      reasons: d.outcome === 'refused' ? d.text : null,
      townshipLimit: d.limit && limitView(d.limit),
      by: officer(d.by),
      at: beijingTime(d.at),
    },
    payment: state.payment && {
      amount: state.payment.amount,
      paidOn: state.payment.paidOn,
      method: state.payment.method,
      methodName: PAYMENT_METHOD_NAMES[state.payment.method] ?? state.payment.method,
      by: officer(state.payment.by),
      at: beijingTime(state.payment.at),
    },
    greenChannel: state.greenChannel && {
      requiredMaterials: state.greenChannel.requiredMaterials,
      missingMaterials: state.obligations.map((o) => o.material),
      obligationWorkingDays: state.greenChannel.obligationWorkingDays,
      tableVersions: state.greenChannel.policy,
    },
    obligations: state.obligations.map((o) => ({
      obligationNo: o.obligationNo,
      material: o.material,
      status: o.status,
      statusName: OBLIGATION_STATUS_NAMES[o.status],
      dueAt: beijingTime(o.dueAt),
      provisionalYears: o.provisionalYears,
      fulfilled: o.fulfilled && {
        by: officer(o.fulfilled.by),
        at: beijingTime(o.fulfilled.at),
        late: o.fulfilled.late,
      },
      waived: o.waived && { by: officer(o.waived.by), at: beijingTime(o.waived.at), reason: o.waived.reason },
      overdueAt: o.overdueAt && beijingTime(o.overdueAt),
    })),
    updatedAt: beijingTime(state.updatedAt!),
  };
}
