import {
  quoteIdent,
  type DbExecutor,
  type Migration,
  type Projection,
  type RecordedEvent,
} from '@platform/event-store';
import { referralEventName } from '../domain/referral.decider.js';

export const referralInboxMigrations: Migration[] = [
  {
    id: 'referral-desk/001-referral-inbox',
    sql: (s) => `
CREATE TABLE ${s}.referral_inbox (
  referral_id      uuid PRIMARY KEY,
  case_id          uuid NOT NULL,
  need_id          text NOT NULL,
  category         text NOT NULL,
  jurisdiction     text NOT NULL,
  status           text NOT NULL,
  urgency          text NOT NULL,
  description      text NOT NULL,
  requested_amount numeric,
  applicant        jsonb,
  received_at      timestamptz NOT NULL,
  acknowledged_at  timestamptz,
  decided_at       timestamptz,
  completed_at     timestamptz,
  acknowledge_by   timestamptz NOT NULL,
  decide_by        timestamptz NOT NULL,
  overdue          text[] NOT NULL DEFAULT '{}',
  outcome          text,
  amount           numeric,
  service          text,
  reason           text,
  held_by          text,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX referral_inbox_list ON ${s}.referral_inbox (jurisdiction, status, received_at);
CREATE INDEX referral_inbox_due ON ${s}.referral_inbox (status, acknowledge_by, decide_by);`,
  },
];

/** Folds a department's referral events into its inbox table. */
export function referralInboxProjection(schema: string): Projection {
  const t = `${quoteIdent(schema)}.referral_inbox`;
  return {
    name: 'referral-inbox',
    async reset(tx) {
      await tx.query(`DELETE FROM ${t}`);
    },
    async apply(events: RecordedEvent[], tx: DbExecutor) {
      // Consecutive receipts go in one statement; anything else first writes the receipts before it.
      let received: unknown[][] = [];
      const flush = async () => {
        if (received.length === 0) return;
        const rows = received;
        received = [];
        await tx.query(
          `INSERT INTO ${t} (referral_id, case_id, need_id, category, jurisdiction, status, urgency, description,
             requested_amount, applicant, received_at, acknowledge_by, decide_by, updated_at)
           SELECT (r->>0)::uuid, (r->>1)::uuid, r->>2, r->>3, r->>4, 'received', r->>5, r->>6, (r->>7)::numeric,
             CASE WHEN jsonb_typeof(r->8) = 'object' THEN r->8 END, (r->>9)::timestamptz, (r->>10)::timestamptz,
             (r->>11)::timestamptz, (r->>9)::timestamptz
             FROM jsonb_array_elements($1::jsonb) AS r
           ON CONFLICT (referral_id) DO NOTHING`,
          [JSON.stringify(rows)],
        );
      };
      for (const e of events) {
        if (!e.streamId.startsWith('referral-')) continue;
        const d = e.data as Record<string, unknown>;
        const at = e.metadata.occurredAt;
        const name = referralEventName(e.type);
        if (name === 'ReferralReceived') {
          received.push([
            d.referralId,
            d.caseId,
            d.needId,
            d.category,
            d.jurisdiction,
            d.urgency,
            d.description,
            d.requestedAmount ?? null,
            d.applicant ?? null,
            d.receivedAt,
            d.acknowledgeBy,
            d.decideBy,
          ]);
          continue;
        }
        await flush();
        switch (name) {
          case 'ReferralAcknowledged':
            await tx.query(
              `UPDATE ${t} SET status='acknowledged', acknowledged_at=$2, held_by=$3, updated_at=$2 WHERE referral_id=$1`,
              [d.referralId, at, d.officerId],
            );
            break;
          case 'ReferralAccepted':
            await tx.query(
              `UPDATE ${t} SET status='accepted', decided_at=$2, held_by=$3, updated_at=$2 WHERE referral_id=$1`,
              [d.referralId, at, d.officerId],
            );
            break;
          case 'ReferralDeclined':
            await tx.query(
              `UPDATE ${t} SET status='declined', decided_at=$2, held_by=$3, reason=$4, acknowledged_at=coalesce(acknowledged_at,$2), updated_at=$2 WHERE referral_id=$1`,
              [d.referralId, at, d.officerId, d.reason],
            );
            break;
          case 'ReferralProgressNoted':
            await tx.query(`UPDATE ${t} SET held_by=$3, updated_at=$2 WHERE referral_id=$1`, [
              d.referralId,
              at,
              d.officerId,
            ]);
            break;
          case 'ReferralCompleted':
            await tx.query(
              `UPDATE ${t} SET status=CASE WHEN $3='returned' THEN 'returned' ELSE 'completed' END, completed_at=$2,
                 outcome=$3, amount=$4, service=$5, reason=$6, held_by=$7, updated_at=$2 WHERE referral_id=$1`,
              [d.referralId, at, d.outcome, d.amount, d.service, d.reason, d.officerId],
            );
            break;
          case 'ReferralReopened':
            await tx.query(
              `UPDATE ${t} SET status='accepted', completed_at=NULL, outcome=NULL, held_by=$3, updated_at=$2 WHERE referral_id=$1`,
              [d.referralId, at, d.officerId],
            );
            break;
          case 'ReferralRevoked':
            await tx.query(
              `UPDATE ${t} SET status='revoked', reason=$3, updated_at=$2 WHERE referral_id=$1`,
              [d.referralId, at, d.reason],
            );
            break;
          case 'ReferralOverdue':
            await tx.query(
              `UPDATE ${t} SET overdue = array_append(overdue, $2), updated_at=$3 WHERE referral_id=$1 AND NOT ($2 = ANY(overdue))`,
              [d.referralId, d.deadline, at],
            );
            break;
        }
      }
      await flush();
    },
  };
}
