import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Authorizer, type AuthenticatedActor } from '@platform/auth';
import { masked, type InboxRow } from '../../read-model/referral-inbox.query.js';
import { ReferralDesks } from '../referral-desks.js';

export interface InboxPage {
  items: InboxRow[];
  total: number;
  page: number;
  pageSize: number;
}

/** The department's inbox within the officer's jurisdiction (auditors: all), personal details masked. */
export class ListReferralInboxQuery extends Query<InboxPage> {
  constructor(
    readonly department: string,
    readonly actor: AuthenticatedActor,
    readonly filter: { status?: string; overdue?: boolean; page: number; pageSize: number },
  ) {
    super();
  }
}

@QueryHandler(ListReferralInboxQuery)
export class ListReferralInboxHandler implements IQueryHandler<ListReferralInboxQuery> {
  constructor(
    @Inject(ReferralDesks) private readonly desks: ReferralDesks,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {}

  async execute({ department, actor, filter }: ListReferralInboxQuery): Promise<InboxPage> {
    const codes =
      actor.role === 'auditor'
        ? null
        : this.authz.tree
            .list()
            .filter((n) => this.authz.within(actor, n.code))
            .map((n) => n.code);
    const result = await this.desks.get(department).inbox.list({
      jurisdictionPrefixes: codes,
      status: filter.status,
      overdueOnly: filter.overdue,
      page: filter.page,
      pageSize: filter.pageSize,
    });
    return { ...result, items: result.items.map(masked) };
  }
}

/** Who looked at personal data on this desk (auditors). */
export class ListDeskAccessLogQuery extends Query<unknown> {
  constructor(
    readonly department: string,
    readonly filter: { caseId?: string; actorId?: string; page: number; pageSize: number },
  ) {
    super();
  }
}

@QueryHandler(ListDeskAccessLogQuery)
export class ListDeskAccessLogHandler implements IQueryHandler<ListDeskAccessLogQuery> {
  constructor(@Inject(ReferralDesks) private readonly desks: ReferralDesks) {}

  execute(q: ListDeskAccessLogQuery): Promise<unknown> {
    return this.desks.get(q.department).accessLog.list(q.filter);
  }
}
