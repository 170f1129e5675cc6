import { DomainError } from '@platform/contracts';
import { deciderSpec } from '@platform/testing';
import {
  referralDecider,
  type ReferralCommand,
  type ReferralEvent,
  type ReferralState,
} from './referral.decider.js';

const spec = deciderSpec<ReferralCommand, ReferralEvent, ReferralState>(referralDecider);
const officer = { id: 'u-health-linhe', role: 'health_officer' };
const ids = {
  caseId: '0190a4c4-0000-7000-8000-000000000001',
  referralId: '0190a4c4-0000-7000-8000-000000000002',
};
const details = {
  ...ids,
  needId: 'need-1',
  category: 'medical',
  jurisdiction: '150802000000',
  description: '透析费用',
  requestedAmount: 20000,
  urgency: 'normal' as const,
  applicant: null,
};
const received: ReferralEvent = {
  type: 'ReferralReceived',
  data: {
    ...details,
    acknowledgeBy: '2026-11-30T15:59:59.999Z',
    decideBy: '2026-12-04T15:59:59.999Z',
    policy: { deadlines: 1, calendar: 1 },
    deadlinesProvisional: [],
    receivedAt: '2026-11-27T02:00:00.000Z',
    at: '2026-11-27T02:00:00.000Z',
  },
};
const acknowledged: ReferralEvent = {
  type: 'ReferralAcknowledged',
  data: { ...ids, officerId: officer.id, at: '2026-11-27T03:00:00.000Z' },
};
const accepted: ReferralEvent = {
  type: 'ReferralAccepted',
  data: { ...ids, officerId: officer.id, at: '2026-11-27T04:00:00.000Z' },
};
const now = '2026-11-27T05:00:00.000Z';

describe('referral decider', () => {
  describe('receiving', () => {
    it('receives a new referral with its deadlines', () => {
      spec
        .given([])
        .when({
          type: 'ReceiveReferral',
          details,
          acknowledgeBy: received.data.acknowledgeBy as string,
          decideBy: '2026-12-04T15:59:59.999Z',
          policy: { deadlines: 1, calendar: 1 },
          provisionalYears: [],
          now: '2026-11-27T02:00:00.000Z',
        })
        .then([received]);
    });

    it('ignores a redelivered referral', () => {
      spec
        .given([received])
        .when({
          type: 'ReceiveReferral',
          details,
          acknowledgeBy: 'x',
          decideBy: 'y',
          policy: {},
          provisionalYears: [],
          now,
        })
        .then([]);
    });
  });

  describe('deadlines counted again', () => {
    const provisional: ReferralEvent = {
      type: 'ReferralReceived',
      data: {
        ...details,
        acknowledgeBy: '2026-12-31T15:59:59.999Z',
        decideBy: '2027-01-01T15:59:59.999Z',
        policy: { deadlines: 1, calendar: 1 },
        deadlinesProvisional: ['2027'],
        receivedAt: '2026-12-30T02:00:00.000Z',
        at: '2026-12-30T02:00:00.000Z',
      },
    };
    const recompute = {
      type: 'RecomputeDeadlines' as const,
      acknowledgeBy: '2026-12-31T15:59:59.999Z',
      decideBy: '2027-01-04T15:59:59.999Z',
      policy: { deadlines: 1, calendar: 2 },
      provisionalYears: [],
      reason: '已载入 2027 年工作日历',
      now: '2027-01-02T01:00:00.000Z',
    };

    it('moves a provisional deadline once its year is loaded, keeping the old values', () => {
      spec
        .given([provisional])
        .when(recompute)
        .then([
          {
            type: 'ReferralDeadlinesRecomputed',
            data: {
              ...ids,
              previous: {
                acknowledgeBy: '2026-12-31T15:59:59.999Z',
                decideBy: '2027-01-01T15:59:59.999Z',
                deadlinesProvisional: ['2027'],
              },
              acknowledgeBy: recompute.acknowledgeBy,
              decideBy: recompute.decideBy,
              deadlinesProvisional: [],
              policy: { deadlines: 1, calendar: 2 },
              reason: '已载入 2027 年工作日历',
              at: recompute.now,
            },
          },
        ]);
    });

    it('records nothing when the deadlines come out the same, or the referral is finished', () => {
      spec
        .given([provisional])
        .when({
          ...recompute,
          acknowledgeBy: provisional.data.acknowledgeBy as string,
          decideBy: provisional.data.decideBy as string,
          provisionalYears: ['2027'],
        })
        .then([]);
      spec
        .given([
          provisional,
          {
            type: 'ReferralRevoked',
            data: { ...ids, reason: '申请人撤回', at: '2026-12-31T01:00:00.000Z' },
          },
        ])
        .when(recompute)
        .then([]);
    });

    it('needs a reason', () => {
      spec
        .given([provisional])
        .when({ ...recompute, reason: ' ' })
        .thenThrows(DomainError);
    });
  });

  describe('lifecycle', () => {
    it('is acknowledged by an officer, then accepted', () => {
      spec
        .given([received])
        .when({ type: 'AcknowledgeReferral', officer, now })
        .then([{ type: 'ReferralAcknowledged', data: { ...ids, officerId: officer.id, at: now } }]);
      spec
        .given([received, acknowledged])
        .when({ type: 'AcceptReferral', officer, now })
        .then([{ type: 'ReferralAccepted', data: { ...ids, officerId: officer.id, at: now } }]);
    });

    it('cannot be accepted before it is acknowledged', () => {
      spec
        .given([received])
        .when({ type: 'AcceptReferral', officer, now })
        .thenThrows(/签收|受理/);
    });

    it('needs a reason to be declined', () => {
      spec
        .given([received, acknowledged])
        .when({ type: 'DeclineReferral', officer, reason: '  ', now })
        .thenThrows(DomainError);
      spec
        .given([received, acknowledged])
        .when({ type: 'DeclineReferral', officer, reason: '不属于本部门职责', now })
        .then([
          {
            type: 'ReferralDeclined',
            data: { ...ids, officerId: officer.id, reason: '不属于本部门职责', at: now },
          },
        ]);
    });

    it('completes a grant only with an amount or a service, and a refusal only with a reason', () => {
      const complete = (
        o: Partial<Extract<ReferralCommand, { type: 'CompleteReferral' }>>,
      ): ReferralCommand => ({
        type: 'CompleteReferral',
        officer,
        outcome: 'granted',
        amount: null,
        service: null,
        reason: null,
        now,
        ...o,
      });
      spec
        .given([received, acknowledged, accepted])
        .when(complete({}))
        .thenThrows(/金额或服务/);
      spec
        .given([received, acknowledged, accepted])
        .when(complete({ outcome: 'not_eligible' }))
        .thenThrows(/理由/);
      spec
        .given([received, acknowledged, accepted])
        .when(complete({ amount: 3000 }))
        .thenState((s) => expect(s.status).toBe('completed'));
    });

    it('records progress only while it is being handled', () => {
      spec
        .given([received])
        .when({ type: 'NoteProgress', officer, note: '已联系', now })
        .thenThrows(DomainError);
      spec
        .given([received, acknowledged])
        .when({ type: 'NoteProgress', officer, note: '已联系', now })
        .thenState((s) => expect(s.heldBy).toBe(officer.id));
    });

    it('reopens a completed referral, keeping its history', () => {
      const completed: ReferralEvent = {
        type: 'ReferralCompleted',
        data: {
          ...ids,
          outcome: 'granted',
          amount: 3000,
          service: null,
          reason: null,
          officerId: officer.id,
          at: now,
        },
      };
      spec
        .given([received, acknowledged, accepted, completed])
        .when({ type: 'ReopenReferral', officer, note: '申请人补充材料', now })
        .thenState((s, events) => {
          expect(events).toHaveLength(1);
          expect(s.status).toBe('accepted');
        });
    });

    it('may be revoked by intake until it is completed', () => {
      spec
        .given([received, acknowledged])
        .when({ type: 'RevokeReferral', reason: '申请人撤回申请', now })
        .thenState((s) => expect(s.status).toBe('revoked'));
      spec
        .given([
          received,
          acknowledged,
          accepted,
          {
            type: 'ReferralCompleted',
            data: {
              ...ids,
              outcome: 'granted',
              amount: 1,
              service: null,
              reason: null,
              officerId: 'x',
              at: now,
            },
          },
        ])
        .when({ type: 'RevokeReferral', reason: 'x', now })
        .thenThrows(/已办结/);
    });
  });

  describe('deadlines', () => {
    it('marks each missed deadline overdue once, with who held it', () => {
      const late = '2026-12-01T00:00:00.000Z';
      spec
        .given([received])
        .when({ type: 'MarkOverdue', now: late })
        .then([
          {
            type: 'ReferralOverdue',
            data: { ...ids, deadline: 'acknowledge', dueAt: '2026-11-30T15:59:59.999Z', heldBy: null },
          },
        ]);
      const overdue: ReferralEvent = {
        type: 'ReferralOverdue',
        data: { ...ids, deadline: 'acknowledge', dueAt: '2026-11-30T15:59:59.999Z', heldBy: null },
      };
      spec.given([received, overdue]).when({ type: 'MarkOverdue', now: late }).then([]);
      spec
        .given([received, acknowledged, overdue])
        .when({ type: 'MarkOverdue', now: '2026-12-05T00:00:00.000Z' })
        .then([
          {
            type: 'ReferralOverdue',
            data: { ...ids, deadline: 'decide', dueAt: '2026-12-04T15:59:59.999Z', heldBy: officer.id },
          },
        ]);
    });

    it('does not mark a referral overdue before its deadline or once decided', () => {
      spec.given([received]).when({ type: 'MarkOverdue', now }).then([]);
      spec
        .given([received, acknowledged, accepted])
        .when({ type: 'MarkOverdue', now: '2026-12-10T00:00:00.000Z' })
        .then([]);
    });
  });

  describe('transferring to another department', () => {
    const transfer = (toDepartment: string, reason = '该需求属于住房救助范围'): ReferralCommand => ({
      type: 'TransferReferral',
      officer,
      department: 'health',
      toDepartment,
      reason,
      now,
    });
    const transferred: ReferralEvent = {
      type: 'ReferralTransferred',
      data: {
        ...ids,
        toDepartment: 'housing',
        reason: '该需求属于住房救助范围',
        officerId: officer.id,
        at: now,
      },
    };

    it('transfers an open referral with its reason, from any open state', () => {
      for (const given of [[received], [received, acknowledged], [received, acknowledged, accepted]]) {
        spec.given(given).when(transfer('housing', '  该需求属于住房救助范围 ')).then([transferred]);
      }
    });

    it('closes the referral here: no further action, no overdue mark, a revocation changes nothing', () => {
      spec
        .given([received, transferred])
        .when({ type: 'MarkOverdue', now })
        .thenState((s) => expect(s.status).toBe('transferred'));
      spec
        .given([received, transferred])
        .when({ type: 'AcknowledgeReferral', officer, now })
        .thenThrows(/移交/);
      spec.given([received, transferred]).when(transfer('education')).thenThrows(DomainError);
      spec
        .given([received, transferred])
        .when({ type: 'MarkOverdue', now: '2026-12-30T00:00:00.000Z' })
        .then([]);
      spec.given([received, transferred]).when({ type: 'RevokeReferral', reason: 'x', now }).then([]);
    });

    it('refuses itself, an unknown department, no reason, and a finished referral', () => {
      const codeOf = (given: ReferralEvent[], c: ReferralCommand) => {
        try {
          referralDecider.decide(c, given.reduce(referralDecider.evolve, referralDecider.initialState()));
        } catch (e) {
          return {
            code: (e as DomainError).code,
            status: (e as DomainError).status,
            ...(e as DomainError).details,
          };
        }
        return null;
      };
      expect(codeOf([received], transfer('health'))).toMatchObject({
        code: 'TRANSFER_TO_SELF',
        status: 422,
        field: 'toDepartment',
      });
      expect(codeOf([received], transfer('human-resources'))).toMatchObject({
        code: 'UNKNOWN_DEPARTMENT',
        status: 422,
        field: 'toDepartment',
      });
      expect(codeOf([received], transfer('housing', ' '))).toMatchObject({
        code: 'REASON_REQUIRED',
        field: 'reason',
      });
      const declined: ReferralEvent = {
        type: 'ReferralDeclined',
        data: { ...ids, officerId: officer.id, reason: '不属本部门', at: now },
      };
      expect(codeOf([received, declined], transfer('housing'))).toMatchObject({
        code: 'REFERRAL_INVALID_STATE',
        status: 409,
      });
      expect(codeOf([], transfer('housing'))).toMatchObject({ code: 'REFERRAL_NOT_FOUND', status: 404 });
    });
  });
});
