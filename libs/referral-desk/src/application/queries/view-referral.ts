import { Inject, NotFoundException } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Authorizer, UserDirectory, type AuthenticatedActor } from '@platform/auth';
import { beijingMinute, REFERRAL_DEPARTMENT_NAMES } from '@platform/contracts';
import { referralHistory, type HistoryEntry } from '../../domain/referral-history.js';
import { referralEventName, type ReferralContext } from '../../domain/referral.decider.js';
import type { InboxRow } from '../../read-model/referral-inbox.query.js';
import { ReferralDesks, type ReferralDesk } from '../referral-desks.js';

/** The referral as the inbox holds it: 404 when absent, 403 outside the officer's jurisdiction. */
export async function visibleReferral(
  desk: ReferralDesk,
  authz: Authorizer,
  actor: AuthenticatedActor,
  referralId: string,
  permission: string,
): Promise<InboxRow> {
  const row = await desk.inbox.get(referralId);
  if (!row) throw new NotFoundException({ code: 'REFERRAL_NOT_FOUND', message: '转办事项不存在' });
  if (actor.role !== 'auditor') authz.assertWithin(actor, row.jurisdiction, permission);
  return row;
}

const departmentName = (d: string) =>
  REFERRAL_DEPARTMENT_NAMES[d as keyof typeof REFERRAL_DEPARTMENT_NAMES] ?? d;

const EARLIER_STATUS_ZH: Record<string, string> = {
  declined: '不予受理',
  returned: '退回',
  rerouted: '改派',
  transferred: '移交',
  revoked: '撤回',
  completed: '办结',
};

/** What the officer handling a referral sees: the referral, the case around it, and its history. */
export interface ReferralDetail extends InboxRow {
  /** 巴彦淖尔市临河区双河镇进步村 */
  villageName: string | null;
  members: NonNullable<ReferralContext['members']> | null;
  windowOfficer: ReferralContext['windowOfficer'];
  earlier: Array<
    ReferralContext['earlier'][number] & { departmentName: string; statusName: string; atBeijing: string }
  >;
  history: HistoryEntry[];
  /** Why the need is also reported to the same-level government (empty when it is not). */
  escalated: string[];
}

/**
 * One referral with the applicant's details, the household members the need concerns, the window
 * officer to call, the need's earlier referrals and the notes so far; looking at them is access-logged.
 */
export class ViewReferralQuery extends Query<ReferralDetail> {
  constructor(
    readonly department: string,
    readonly actor: AuthenticatedActor,
    readonly referralId: string,
    readonly purpose: string | null,
  ) {
    super();
  }
}

@QueryHandler(ViewReferralQuery)
export class ViewReferralHandler implements IQueryHandler<ViewReferralQuery> {
  constructor(
    @Inject(ReferralDesks) private readonly desks: ReferralDesks,
    @Inject(Authorizer) private readonly authz: Authorizer,
    @Inject(UserDirectory) private readonly directory: UserDirectory,
  ) {}

  async execute(q: ViewReferralQuery): Promise<ReferralDetail> {
    const desk = this.desks.get(q.department);
    const row = await visibleReferral(desk, this.authz, q.actor, q.referralId, 'referrals:view');
    const [context, events] = await Promise.all([
      desk.inbox.context(q.referralId),
      desk.referrals.store.readStream(desk.referrals.streamOf(q.referralId)),
    ]);
    const steps = events.map((e) => ({
      name: referralEventName(e.type),
      data: e.data as Record<string, unknown>,
    }));
    const names = await this.directory.namesOf(
      steps.map((s) => s.data.officerId).filter((id): id is string => typeof id === 'string'),
    );
    const members = context?.members ?? null;
    if (row.applicant || members?.length) {
      await desk.accessLog.record(q.actor, {
        resourceType: 'referral',
        resourceId: q.referralId,
        caseId: row.caseId,
        fields: [
          ...(row.applicant ? ['applicant.name', 'applicant.idNumber', 'applicant.phone'] : []),
          ...(members?.length ? ['members.name', 'members.idNumber', 'members.phone'] : []),
        ],
        purpose: q.purpose,
      });
    }
    return {
      ...row,
      villageName: row.villageCode ? this.authz.tree.fullName(row.villageCode) || null : null,
      members,
      windowOfficer: context?.windowOfficer ?? null,
      earlier: (context?.earlier ?? []).map((e) => ({
        ...e,
        departmentName: departmentName(e.department),
        statusName: EARLIER_STATUS_ZH[e.status] ?? e.status,
        atBeijing: beijingMinute(e.at),
      })),
      history: referralHistory(steps, (id) => names.get(id) ?? id),
      escalated: context?.escalated ?? [],
    };
  }
}
