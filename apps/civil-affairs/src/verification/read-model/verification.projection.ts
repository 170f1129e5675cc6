import type { EventStore, RecordedEvent } from '@platform/event-store';
import type { Projection } from '@platform/read-model';
import {
  currentAnswers,
  pendingDepartments,
  verificationDecider,
  type VerificationEvent,
  type VerificationState,
} from '../domain/verification.decider.js';
import { VerificationEntry } from './verification.entities.js';
import { VERIFICATION_PROJECTION_NAME } from './verification.read-model.js';

const PREFIX = 'verification-';
/** `verification-<uuid>`: not the departments' `verification-answer-…` streams. */
export const isVerificationStream = (streamId: string) => /^verification-[0-9a-f]{8}-/.test(streamId);
export const verificationStream = (verificationId: string) => `${PREFIX}${verificationId}`;

export function foldVerification(history: RecordedEvent[]): VerificationState {
  return history.reduce(
    (s, e) => verificationDecider.evolve(s, { type: e.type, data: e.data } as VerificationEvent),
    verificationDecider.initialState(),
  );
}

/** The verifications' rows, re-folded from each touched stream: one read and one upsert per batch. */
export function verificationProjection(store: EventStore): Projection {
  return {
    name: VERIFICATION_PROJECTION_NAME,
    async reset(manager) {
      await manager.createQueryBuilder().delete().from(VerificationEntry).execute();
    },
    async apply(events, manager) {
      const touched = [...new Set(events.map((e) => e.streamId).filter(isVerificationStream))];
      if (touched.length === 0) return;
      const histories = await store.readStreams(touched);
      const rows: VerificationEntry[] = [];
      for (const stream of touched) {
        const history = histories.get(stream) ?? [];
        const state = foldVerification(history);
        if (state.status === 'none') continue;
        const d = state.details!;
        rows.push({
          verificationId: d.verificationId,
          applicationId: d.applicationId,
          caseId: d.caseId,
          villageCode: d.villageCode,
          // 12-digit codes: a village's township is its first nine digits.
          townshipCode: `${d.villageCode.slice(0, 9)}000`,
          countyCode: d.countyCode,
          memberCount: d.members.length,
          requestedBy: state.requestedBy!.name,
          requestedAt: new Date(state.requestedAt!),
          dueAt: new Date(state.dueAt!),
          pending: pendingDepartments(state),
          answered: [...currentAnswers(state).keys()],
          overdue: state.overdue,
          updatedAt: history.at(-1)!.recordedAt,
        });
      }
      if (rows.length === 0) return;
      await manager
        .createQueryBuilder()
        .insert()
        .into(VerificationEntry)
        .values(rows)
        .orUpdate(['pending', 'answered', 'overdue', 'updated_at'], ['verification_id'])
        .updateEntity(false)
        .execute();
    },
  };
}
