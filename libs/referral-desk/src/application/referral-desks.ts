import { Injectable } from '@nestjs/common';
import type { AccessLog, Role } from '@platform/auth';
import { DeciderStore, type EventStore, type RecordedEvent } from '@platform/event-store';
import type { PolicyTables } from '@platform/policy';
import {
  referralDecider,
  referralEventName,
  referralEventType,
  type ReferralCommand,
  type ReferralEvent,
  type ReferralState,
} from '../domain/referral.decider.js';
import type { ReferralInboxQuery } from '../read-model/referral-inbox.query.js';

export type ReferralStore = DeciderStore<ReferralCommand, ReferralEvent, ReferralState>;

export const referralStream = (referralId: string) => `referral-${referralId}`;

/** A department's referrals on the generic command path: stream `referral-<id>`, types `<department>.<Event>`. */
export function referralStore(department: string, store: EventStore): ReferralStore {
  return new DeciderStore({
    store,
    decider: referralDecider,
    streamOf: referralStream,
    toStored: (e) => ({ type: referralEventType(department, e.type), data: e.data }),
    fromStored: (e: RecordedEvent) => ({ type: referralEventName(e.type), data: e.data }) as ReferralEvent,
  });
}

/** One department's desk: what its command and query handlers work on. */
export interface ReferralDesk {
  department: string;
  officerRole: Role;
  referrals: ReferralStore;
  inbox: ReferralInboxQuery;
  accessLog: AccessLog;
  /** Deadlines and the working-day calendar, as versioned policy tables. */
  policy: PolicyTables;
  /** Categories another capability of the department handles; their referrals never reach the desk. */
  excludeCategories: string[];
}

/**
 * The desks running in this process, by department. The desk's handlers are registered once on the
 * buses (a command class has one handler) and each command names its department, so the embedded
 * process, which runs every department, keeps their desks apart.
 */
@Injectable()
export class ReferralDesks {
  private readonly desks = new Map<string, ReferralDesk>();

  register(desk: ReferralDesk): void {
    this.desks.set(desk.department, desk);
  }

  get(department: string): ReferralDesk {
    const desk = this.desks.get(department);
    if (!desk) throw new Error(`No referral desk for department "${department}" in this process`);
    return desk;
  }
}
