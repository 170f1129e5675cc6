import { ReferralInbox1764201600000 } from './migrations/1764201600000-referral-inbox.js';
import { DeadlineProvisional1764288000000 } from './migrations/1764288000000-deadline-provisional.js';
import { ReferralTransfer1765584000000 } from './migrations/1765584000000-referral-transfer.js';
import { ReferralContext1765756800000 } from './migrations/1765756800000-referral-context.js';
import { ReferralInboxEntry } from './referral-inbox.entity.js';

/** The desk's read models and the migrations that shape their tables, in order. */
export const referralDeskReadModel = {
  entities: [ReferralInboxEntry],
  migrations: [
    ReferralInbox1764201600000,
    DeadlineProvisional1764288000000,
    ReferralTransfer1765584000000,
    ReferralContext1765756800000,
  ],
};
