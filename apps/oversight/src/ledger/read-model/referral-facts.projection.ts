import { quoteIdent, type Projection } from '@platform/event-store';

/**
 * Pre-aggregated facts for accountability reports and the joint-meeting dashboard: one row per
 * referral and per case, folded from the ledger. Rebuilt from position 0 it gives the same rows.
 */
export function referralFactsProjection(schema: string): Projection {
  const s = quoteIdent(schema);
  return {
    name: 'referral-facts',
    async reset(tx) {
      await tx.query(`DELETE FROM ${s}.referral_facts; DELETE FROM ${s}.case_facts;`);
    },
    async apply(events, tx) {
      for (const e of events) {
        if (!e.streamId.startsWith('ledger-')) continue;
        const d = e.data as Record<string, unknown>;
        const at = e.metadata.occurredAt;
        const actor = e.metadata.actor.id;
        const name = e.type.slice(e.type.indexOf('.') + 1);
        const dept = e.type.slice(0, e.type.indexOf('.'));
        if (dept === 'intake') {
          switch (name) {
            case 'CaseOpened':
              await tx.query(
                `INSERT INTO ${s}.case_facts (case_id, case_number, county_code, opened_at) VALUES ($1,$2,$3,$4)
                 ON CONFLICT (case_id) DO UPDATE SET case_number = EXCLUDED.case_number, county_code = EXCLUDED.county_code, opened_at = EXCLUDED.opened_at`,
                [d.caseId, d.caseNumber, d.countyCode, at],
              );
              break;
            case 'CaseAccepted':
              await tx.query(`UPDATE ${s}.case_facts SET accepted_at = $2 WHERE case_id = $1`, [
                d.caseId,
                at,
              ]);
              break;
            case 'CaseReportedToGovernment':
              await tx.query(
                `INSERT INTO ${s}.case_facts (case_id, reported_to_government, first_reported_at) VALUES ($1, 1, $2)
                 ON CONFLICT (case_id) DO UPDATE SET reported_to_government = ${s}.case_facts.reported_to_government + 1,
                   first_reported_at = coalesce(${s}.case_facts.first_reported_at, EXCLUDED.first_reported_at)`,
                [d.caseId, at],
              );
              break;
            case 'ReferralIssued':
              await tx.query(
                `INSERT INTO ${s}.referral_facts (referral_id, case_id, department, jurisdiction, county_code, category, issued_at, status)
                 VALUES ($1,$2,$3,$4,(SELECT county_code FROM ${s}.case_facts WHERE case_id = $2),$5,$6,'issued')
                 ON CONFLICT (referral_id) DO NOTHING`,
                [d.referralId, d.caseId, d.department, d.jurisdiction, d.category, at],
              );
              break;
            case 'ReferralRevoked':
              await tx.query(
                `UPDATE ${s}.referral_facts SET revoked = true, status = 'revoked', reason = $2 WHERE referral_id = $1`,
                [d.referralId, d.reason],
              );
              break;
            case 'ReferralRerouted':
              await tx.query(
                `UPDATE ${s}.referral_facts SET rerouted = true, status = 'rerouted' WHERE referral_id = $1`,
                [d.referralId],
              );
              break;
          }
          continue;
        }
        const id = d.referralId;
        switch (name) {
          case 'ReferralReceived':
            await tx.query(
              `UPDATE ${s}.referral_facts SET received_at = $2, status = 'received' WHERE referral_id = $1`,
              [id, at],
            );
            break;
          case 'ReferralAcknowledged':
            await tx.query(
              `UPDATE ${s}.referral_facts SET acknowledged_at = $2, acknowledged_by = $3, status = 'acknowledged' WHERE referral_id = $1`,
              [id, at, actor],
            );
            break;
          case 'ReferralAccepted':
            await tx.query(
              `UPDATE ${s}.referral_facts SET decided_at = $2, decided_by = $3, status = 'accepted' WHERE referral_id = $1`,
              [id, at, actor],
            );
            break;
          case 'ReferralDeclined':
            await tx.query(
              `UPDATE ${s}.referral_facts SET decided_at = $2, decided_by = $3, declined = true, status = 'declined', reason = $4,
                 acknowledged_at = coalesce(acknowledged_at, $2) WHERE referral_id = $1`,
              [id, at, actor, d.reason],
            );
            break;
          case 'ReferralCompleted':
            await tx.query(
              `UPDATE ${s}.referral_facts SET completed_at = $2, completed_by = $3, outcome = $4, amount = $5, reason = coalesce($6, reason),
                 status = CASE WHEN $4 = 'returned' THEN 'returned' ELSE 'completed' END WHERE referral_id = $1`,
              [id, at, actor, d.outcome, d.amount ?? null, d.reason ?? null],
            );
            break;
          case 'ReferralReopened':
            await tx.query(
              `UPDATE ${s}.referral_facts SET reopened = reopened + 1, status = 'accepted', completed_at = NULL WHERE referral_id = $1`,
              [id],
            );
            break;
          case 'ReferralOverdue':
            await tx.query(
              `UPDATE ${s}.referral_facts SET ${d.deadline === 'acknowledge' ? 'overdue_acknowledge' : 'overdue_decide'} = true,
                 overdue_held_by = coalesce($2, overdue_held_by) WHERE referral_id = $1`,
              [id, d.heldBy ?? null],
            );
            break;
        }
      }
    },
  };
}
