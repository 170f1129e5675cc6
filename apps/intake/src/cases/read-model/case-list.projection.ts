import { quoteIdent, type EventStore, type Migration, type Projection } from '@platform/event-store';
import { evolveCase, initialCaseState, isCaseOpen, type CaseEvent } from '../domain/case.decider.js';

export const caseReadModelMigrations: Migration[] = [
  {
    id: 'intake/001-case-read-model',
    sql: (s) => `
CREATE SEQUENCE ${s}.case_number_seq;
CREATE SEQUENCE ${s}.document_number_seq;
CREATE TABLE ${s}.case_list (
  case_id          uuid PRIMARY KEY,
  case_number      text NOT NULL UNIQUE,
  status           text NOT NULL,
  is_open          boolean NOT NULL,
  channel          text NOT NULL,
  urgency          text NOT NULL,
  village_code     text NOT NULL,
  township_code    text NOT NULL,
  county_code      text NOT NULL,
  applicant_name   text NOT NULL,
  applicant_id     text NOT NULL,
  categories       text[] NOT NULL,
  referral_states  jsonb NOT NULL,
  query_code       text,
  reported_to_government boolean NOT NULL,
  opened_at        timestamptz NOT NULL,
  accepted_at      timestamptz,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX case_list_township ON ${s}.case_list (township_code, opened_at DESC);
CREATE INDEX case_list_village ON ${s}.case_list (village_code, opened_at DESC);
CREATE TABLE ${s}.case_members (
  case_id   uuid NOT NULL,
  id_number text NOT NULL,
  category  text NOT NULL,
  is_open   boolean NOT NULL,
  PRIMARY KEY (case_id, id_number, category)
);
CREATE INDEX case_members_lookup ON ${s}.case_members (id_number, category) WHERE is_open;
CREATE TABLE ${s}.government_reports (
  case_id      uuid NOT NULL,
  need_id      text NOT NULL,
  case_number  text NOT NULL,
  category     text NOT NULL,
  jurisdiction text NOT NULL,
  reason       text NOT NULL,
  reported_at  timestamptz NOT NULL,
  PRIMARY KEY (case_id, need_id, reported_at)
);`,
  },
  {
    id: 'intake/002-case-member-claims',
    sql: (s) => `
-- Written by the opening transaction itself, so the duplicate check sees a case the moment it commits;
-- removed by the case-list projection once case_members has the case.
CREATE TABLE ${s}.case_member_claims (
  case_id     uuid NOT NULL,
  id_number   text NOT NULL,
  category    text NOT NULL,
  case_number text NOT NULL,
  claimed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (case_id, id_number, category)
);
CREATE INDEX case_member_claims_lookup ON ${s}.case_member_claims (id_number, category);`,
  },
];

/**
 * Case lists, open-case membership (for the duplicate check) and the government's list, kept
 * current by re-folding each touched case from its stream.
 */
export function caseListProjection(store: EventStore): Projection {
  const s = quoteIdent(store.schema);
  return {
    name: 'case-list',
    async reset(tx) {
      await tx.query(
        `DELETE FROM ${s}.case_list; DELETE FROM ${s}.case_members; DELETE FROM ${s}.government_reports;`,
      );
    },
    async apply(events, tx) {
      const touched = new Map<string, string>();
      for (const e of events) {
        if (!e.streamId.startsWith('case-')) continue;
        touched.set(e.streamId, e.streamId.slice(5));
        if (e.type === 'intake.CaseReportedToGovernment') {
          const d = e.data as {
            caseId: string;
            needId: string;
            category: string;
            jurisdiction: string;
            reason: string;
            at: string;
          };
          await tx.query(
            `INSERT INTO ${s}.government_reports (case_id, need_id, case_number, category, jurisdiction, reason, reported_at)
             SELECT $1, $2, coalesce((SELECT case_number FROM ${s}.case_list WHERE case_id = $1), ''), $3, $4, $5, $6
             ON CONFLICT DO NOTHING`,
            [d.caseId, d.needId, d.category, d.jurisdiction, d.reason, d.at],
          );
        }
      }
      if (touched.size === 0) return;
      // These cases are now in case_members: their opening claims have served their purpose.
      await tx.query(`DELETE FROM ${s}.case_member_claims WHERE case_id = ANY($1::uuid[])`, [
        [...touched.values()],
      ]);
      // Every touched case re-folded from one read, written back in two statements whatever the batch size.
      const histories = await store.readStreams([...touched.keys()]);
      const cases: unknown[][] = [];
      const members = new Map<string, unknown[]>(); // one row per key: an upsert may touch a row once
      for (const [stream, caseId] of touched) {
        const history = histories.get(stream)!;
        const state = history.reduce(
          (st, e) => evolveCase(st, { type: e.type, data: e.data } as CaseEvent),
          initialCaseState(),
        );
        if (state.status === 'none') continue;
        const applicant = state.household.find((m) => m.relationship === 'applicant')!;
        const open = isCaseOpen(state);
        cases.push([
          caseId,
          state.caseNumber,
          state.status,
          open,
          state.channel,
          state.urgency,
          state.villageCode,
          state.townshipCode,
          state.countyCode,
          applicant.name,
          applicant.idNumber,
          state.needs.map((n) => n.category),
          state.referrals.map((r) => ({
            referralId: r.referralId,
            department: r.department,
            category: r.category,
            status: r.status,
            overdue: r.overdue,
          })),
          state.queryCode,
          state.reportedToGovernment.length > 0,
          state.openedAt,
          state.acceptedAt,
          history.at(-1)!.recordedAt,
        ]);
        for (const m of state.household) {
          for (const n of state.needs)
            members.set(`${caseId}|${m.idNumber}|${n.category}`, [caseId, m.idNumber, n.category, open]);
        }
      }
      if (cases.length > 0) {
        await tx.query(
          `INSERT INTO ${s}.case_list (case_id, case_number, status, is_open, channel, urgency, village_code, township_code, county_code,
             applicant_name, applicant_id, categories, referral_states, query_code, reported_to_government, opened_at, accepted_at, updated_at)
           SELECT (r->>0)::uuid, r->>1, r->>2, (r->>3)::boolean, r->>4, r->>5, r->>6, r->>7, r->>8, r->>9, r->>10,
             ARRAY(SELECT jsonb_array_elements_text(r->11)), r->12, r->>13, (r->>14)::boolean,
             (r->>15)::timestamptz, (r->>16)::timestamptz, (r->>17)::timestamptz
             FROM jsonb_array_elements($1::jsonb) AS r
           ON CONFLICT (case_id) DO UPDATE SET status=EXCLUDED.status, is_open=EXCLUDED.is_open, referral_states=EXCLUDED.referral_states,
             query_code=EXCLUDED.query_code, reported_to_government=EXCLUDED.reported_to_government, accepted_at=EXCLUDED.accepted_at,
             updated_at=EXCLUDED.updated_at`,
          [JSON.stringify(cases)],
        );
      }
      if (members.size > 0) {
        await tx.query(
          `INSERT INTO ${s}.case_members (case_id, id_number, category, is_open)
           SELECT (r->>0)::uuid, r->>1, r->>2, (r->>3)::boolean FROM jsonb_array_elements($1::jsonb) AS r
           ON CONFLICT (case_id, id_number, category) DO UPDATE SET is_open = EXCLUDED.is_open`,
          [JSON.stringify([...members.values()])],
        );
      }
    },
  };
}
