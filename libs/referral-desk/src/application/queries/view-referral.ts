import { Inject, NotFoundException } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Authorizer, type AuthenticatedActor } from '@platform/auth';
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

/** One referral with the applicant's details; looking at them is recorded in the access log. */
export class ViewReferralQuery extends Query<InboxRow> {
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
  ) {}

  async execute(q: ViewReferralQuery): Promise<InboxRow> {
    const desk = this.desks.get(q.department);
    const row = await visibleReferral(desk, this.authz, q.actor, q.referralId, 'referrals:view');
    if (row.applicant) {
      await desk.accessLog.record(q.actor, {
        resourceType: 'referral',
        resourceId: q.referralId,
        caseId: row.caseId,
        fields: ['applicant.name', 'applicant.idNumber', 'applicant.phone'],
        purpose: q.purpose,
      });
    }
    return row;
  }
}
