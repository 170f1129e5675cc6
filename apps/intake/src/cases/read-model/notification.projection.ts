import { beijingMinute } from '@platform/contracts';
import type { EventStore, RecordedEvent } from '@platform/event-store';
import {
  enqueueNotifications,
  needDecided,
  overdueReminders,
  systemEvent,
  type Channel,
  type OutgoingNotification,
} from '@platform/notifications';
import type { Projection } from '@platform/read-model';
import type { EntityManager } from 'typeorm';
import { evolveCase, initialCaseState, type CaseEvent, type CaseState } from '../domain/case.decider.js';
import { CATEGORY_NAMES, DEPARTMENT_NAMES } from '../domain/policy.js';

/** A result older than this when the projection first sees it is not news: a rebuild or a new install replaying the log sends nothing for it. */
export const NOTIFY_WITHIN_MS = 24 * 3600_000;

const WATCHED = new Set(['intake.ReferralStatusRecorded', 'intake.CaseReportedToGovernment']);

export interface NotificationProjectionOptions {
  store: EventStore;
  /** The channels that can send here: messages for the others are not written. */
  channels: Channel[];
  webhookUrl: string | null;
  newId: () => string;
  /**
   * The officers an overdue referral is reminded to by email: active, with an address, of the
   * referral's department, in the case's county or at the city level above it.
   */
  officersToRemind?: (
    manager: EntityManager,
    q: { department: string; countyCode: string },
  ) => Promise<Array<{ name: string; email: string }>>;
  /** A county's name, for the reminder's text. */
  countyName?: (countyCode: string) => string;
}

/**
 * Turns intake's events into notifications in the outbox, in the projection's transaction (so each
 * event's notifications are written once): a need decided to the applicant who consented and to the
 * webhook; a referral overdue and a need reported to the government to the webhook.
 */
export function notificationProjection(o: NotificationProjectionOptions): Projection {
  const channels = new Set(o.channels);
  const webhook = channels.has('webhook') ? o.webhookUrl : null;
  return {
    name: 'notifications',
    // The outbox is not a view of the log: a rebuild keeps it (and its uniqueness keeps a replayed
    // event from writing again).
    async reset() {},
    async apply(events, manager) {
      if (channels.size === 0) return;
      const relevant = events.filter((e) => WATCHED.has(e.type) && e.streamId.startsWith('case-'));
      if (relevant.length === 0) return;
      // Recorded times are the database's; so is this.
      const [{ now }] = (await manager.query(`SELECT now() AS now`)) as Array<{ now: Date }>;
      const fresh = relevant.filter((e) => now.getTime() - e.recordedAt.getTime() <= NOTIFY_WITHIN_MS);
      if (fresh.length === 0) return;
      const histories = await o.store.readStreams([...new Set(fresh.map((e) => e.streamId))]);
      const out: OutgoingNotification[] = [];
      for (const e of fresh) {
        // The case as it stood when the event was recorded (names, contacts, the referral's need).
        const state = (histories.get(e.streamId) ?? [])
          .filter((h) => h.streamVersion <= e.streamVersion)
          .reduce((s, h) => evolveCase(s, { type: h.type, data: h.data } as CaseEvent), initialCaseState());
        out.push(...notificationsOf(e, state, webhook, channels));
        out.push(...(await remindersOf(e, state, channels, manager, o)));
      }
      await enqueueNotifications(manager, out, { newId: o.newId });
    },
  };
}

/** An overdue referral's email to its officers (when email is on and the deployment can find them). */
async function remindersOf(
  e: RecordedEvent,
  state: CaseState,
  channels: Set<Channel>,
  manager: EntityManager,
  o: NotificationProjectionOptions,
): Promise<OutgoingNotification[]> {
  if (e.type !== 'intake.ReferralStatusRecorded' || !channels.has('email') || !o.officersToRemind) return [];
  const d = e.data as { referralId: string; department: string; deadline: string | null };
  if (d.deadline !== 'acknowledge' && d.deadline !== 'decide') return [];
  const referral = state.referrals.find((r) => r.referralId === d.referralId);
  if (state.status === 'none' || !referral || !state.countyCode) return [];
  const officers = await o.officersToRemind(manager, {
    department: d.department,
    countyCode: state.countyCode,
  });
  return overdueReminders({
    sourceEventId: e.eventId,
    caseId: state.caseId!,
    caseNumber: state.caseNumber!,
    departmentName: DEPARTMENT_NAMES[d.department] ?? d.department,
    categoryName: CATEGORY_NAMES[referral.category] ?? referral.category,
    deadline: d.deadline,
    countyName: o.countyName?.(state.countyCode) ?? '',
    officers,
  });
}

function notificationsOf(
  e: RecordedEvent,
  state: CaseState,
  webhook: string | null,
  channels: Set<Channel>,
): OutgoingNotification[] {
  if (state.status === 'none') return [];
  const caseNumber = state.caseNumber!;
  if (e.type === 'intake.CaseReportedToGovernment') {
    const d = e.data as {
      needId: string;
      category: string;
      jurisdiction: string;
      reason: string;
      at: string;
      respondBy?: string | null;
    };
    return systemEvent('reported_to_government', {
      sourceEventId: e.eventId,
      caseId: state.caseId,
      caseNumber,
      webhook,
      summary: `案件 ${caseNumber} 的“${CATEGORY_NAMES[d.category] ?? d.category}”事项已报告同级政府：${d.reason}`,
      facts: {
        needId: d.needId,
        category: d.category,
        jurisdiction: d.jurisdiction,
        reportedAt: beijingMinute(d.at),
        respondBy: d.respondBy ? beijingMinute(d.respondBy) : null,
      },
    });
  }
  const d = e.data as {
    referralId: string;
    department: string;
    status: string;
    at: string;
    reason: string | null;
    outcome: string | null;
    amount: number | null;
    service: string | null;
    deadline: string | null;
  };
  const referral = state.referrals.find((r) => r.referralId === d.referralId);
  if (!referral) return [];
  const departmentName = DEPARTMENT_NAMES[d.department] ?? d.department;
  const categoryName = CATEGORY_NAMES[referral.category] ?? referral.category;
  if (d.deadline) {
    return systemEvent('referral_overdue', {
      sourceEventId: e.eventId,
      caseId: state.caseId,
      caseNumber,
      webhook,
      summary: `案件 ${caseNumber} 转${departmentName}的“${categoryName}”事项已超过${d.deadline === 'acknowledge' ? '签收' : '办结'}时限`,
      facts: {
        referralId: d.referralId,
        department: d.department,
        category: referral.category,
        deadline: d.deadline,
        countyCode: state.countyCode,
      },
    });
  }
  if (d.status !== 'completed' && d.status !== 'returned') return [];
  const applicant = state.household.find((m) => m.relationship === 'applicant');
  const consent = state.notify?.consent === true;
  return needDecided({
    sourceEventId: e.eventId,
    caseId: state.caseId!,
    caseNumber,
    applicantName: applicant?.name ?? '',
    categoryName,
    departmentName,
    outcome: d.outcome ?? d.status,
    amount: d.amount,
    service: d.service,
    reason: d.reason,
    decidedAt: beijingMinute(d.at),
    phone: consent && channels.has('sms') ? (applicant?.phone ?? null) : null,
    email: consent && channels.has('email') ? (state.notify?.email ?? null) : null,
    webhook,
    department: d.department,
    category: referral.category,
    countyCode: state.countyCode,
  });
}
