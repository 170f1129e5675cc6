import { DomainError } from '@platform/contracts';
import { deciderSpec } from '@platform/testing';
import {
  caseDecider,
  isCaseOpen,
  planRoute,
  REFERRAL_NOT_OWNED,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
} from './case.decider.js';
import { INITIAL_ROUTING as DEFAULT_ROUTING } from '@platform/policy';

const spec = deciderSpec<CaseCommand, CaseEvent, CaseState>(caseDecider);
const caseId = '0190a4c4-0000-7000-8000-0000000000c1';
const now = '2026-11-27T02:00:00.000Z';
const window = { id: 'u-twp-shuanghe', role: 'township_officer' };
const village = { id: 'u-vil-jinbu', role: 'village_verifier' };
const applicant = {
  name: '王小明',
  idNumber: '150802198001011234',
  relationship: 'applicant' as const,
  phone: '13800000000',
};
const needs = [
  { needId: 'need-1', category: 'medical', description: '透析', requestedAmount: 20000 },
  { needId: 'need-2', category: 'other', description: '无适用政策', requestedAmount: null },
];

function open(
  overrides: Partial<Extract<CaseCommand, { type: 'OpenCase' }>> = {},
): Extract<CaseCommand, { type: 'OpenCase' }> {
  return {
    type: 'OpenCase',
    caseId,
    caseNumber: '150802-2026-000001',
    channel: 'window',
    villageCode: '150802100201',
    townshipCode: '150802100000',
    countyCode: '150802000000',
    household: [applicant],
    needs,
    urgency: 'normal',
    consentToShare: true,
    onBehalfOf: null,
    actor: window,
    now,
    notification: {
      documentNumber: '告知-1',
      materials: [{ needId: 'need-1', category: 'medical', items: ['身份证'] }],
    },
    duplicates: [],
    duplicateOverrideReason: null,
    ...overrides,
  };
}

function opened(overrides: Partial<Extract<CaseCommand, { type: 'OpenCase' }>> = {}): CaseEvent[] {
  return caseDecider.decide(open(overrides), caseDecider.initialState());
}

const referralId = '0190a4c4-0000-7000-8000-0000000000r1';
const accept = (actor = window): CaseCommand => ({
  type: 'AcceptCase',
  actor,
  now,
  notice: { documentNumber: '受理-1', queryCode: '123456' },
  routes: {
    'need-1': {
      kind: 'department',
      referralId,
      department: 'health',
      departmentName: '卫生健康部门',
      jurisdiction: '150802000000',
    },
    'need-2': { kind: 'government', jurisdiction: '150802000000', reason: '无适用政策' },
  },
});

describe('case decider', () => {
  describe('opening', () => {
    it('opens a case at the window and issues the one-time notification', () => {
      const events = opened();
      expect(events.map((e) => e.type)).toEqual(['intake.CaseOpened', 'intake.OneTimeNotificationIssued']);
      expect(events[0]!.data).toMatchObject({
        caseId,
        channel: 'window',
        categories: ['medical', 'other'],
        openedBy: window.id,
      });
    });

    it('lets a village committee report a case on someone’s behalf (proactive discovery) but not at the window', () => {
      expect(
        opened({ channel: 'proactive_discovery', actor: village, onBehalfOf: '王小明' })[0]!.data,
      ).toMatchObject({ onBehalfOf: '王小明' });
      spec
        .given([])
        .when(open({ channel: 'window', actor: village }))
        .thenThrows(DomainError);
    });

    it('refuses a duplicate open case for the same member and category unless a reason is recorded', () => {
      const duplicates = [
        {
          idNumber: applicant.idNumber,
          category: 'medical',
          caseId: 'c-0',
          caseNumber: '150802-2026-000000',
        },
      ];
      try {
        caseDecider.decide(open({ duplicates }), caseDecider.initialState());
        throw new Error('expected a refusal');
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).status).toBe(409);
        expect((e as DomainError).details).toEqual({ openCases: duplicates, elsewhere: [] });
        expect((e as DomainError).message).toContain('150802-2026-000000');
      }
      expect(opened({ duplicates, duplicateOverrideReason: '病情变化需重新申请' })[0]!.data).toMatchObject({
        duplicateOverride: { reason: '病情变化需重新申请', openCases: ['c-0'] },
      });
    });

    it('names only the county of a duplicate outside the officer’s jurisdiction, not its number or needs', () => {
      const duplicates = [
        {
          idNumber: applicant.idNumber,
          category: 'medical',
          caseId: 'c-9',
          caseNumber: '150821-2026-000042',
          visible: false,
          elsewhere: '巴彦淖尔市五原县',
        },
      ];
      try {
        caseDecider.decide(open({ duplicates }), caseDecider.initialState());
        throw new Error('expected a refusal');
      } catch (e) {
        expect((e as DomainError).status).toBe(409);
        expect((e as DomainError).details).toEqual({ openCases: [], elsewhere: ['巴彦淖尔市五原县'] });
        expect((e as DomainError).message).toContain('巴彦淖尔市五原县');
        expect(JSON.stringify([(e as DomainError).message, (e as DomainError).details])).not.toMatch(
          /150821-2026-000042|c-9|medical/,
        );
      }
    });

    it('needs exactly one applicant and distinct categories', () => {
      spec
        .given([])
        .when(open({ household: [{ ...applicant, relationship: 'spouse' }] }))
        .thenThrows(/申请人/);
      spec
        .given([])
        .when(open({ needs: [needs[0]!, { ...needs[0]!, needId: 'need-2' }] }))
        .thenThrows(/同一救助类别/);
    });
  });

  describe('acceptance', () => {
    it('is refused to a village committee (acceptance was removed from villages)', () => {
      try {
        caseDecider.decide(accept(village), opened().reduce(caseDecider.evolve, caseDecider.initialState()));
        throw new Error('expected a refusal');
      } catch (e) {
        expect((e as DomainError).status).toBe(403);
        expect((e as DomainError).code).toBe('ONLY_TOWNSHIP_ACCEPTS');
      }
    });

    it('issues the acceptance notice, refers each need and reports the unmatched one to government', () => {
      spec
        .given(opened())
        .when(accept())
        .thenState((state, events) => {
          expect(events.map((e) => e.type)).toEqual([
            'intake.CaseAccepted',
            'intake.AcceptanceNoticeIssued',
            'intake.ReferralIssued',
            'intake.CaseReportedToGovernment',
          ]);
          expect(state.status).toBe('accepted');
          expect(state.queryCode).toBe('123456');
          expect(state.referrals).toEqual([
            expect.objectContaining({ referralId, department: 'health', status: 'issued' }),
          ]);
          expect(state.reportedToGovernment).toEqual([expect.objectContaining({ needId: 'need-2' })]);
        });
    });

    it('sends personal details with a referral only with the applicant’s consent', () => {
      const withConsent = caseDecider.decide(
        accept(),
        opened().reduce(caseDecider.evolve, caseDecider.initialState()),
      );
      const withoutConsent = caseDecider.decide(
        accept(),
        opened({ consentToShare: false }).reduce(caseDecider.evolve, caseDecider.initialState()),
      );
      const issued = (events: CaseEvent[]) =>
        events.find((e) => e.type === 'intake.ReferralIssued')!.data as { applicant: unknown };
      expect(issued(withConsent).applicant).toEqual({
        name: '王小明',
        idNumber: applicant.idNumber,
        phone: '13800000000',
      });
      expect(issued(withoutConsent).applicant).toBeNull();
    });

    it('tells the department the case number, the village, the members the need concerns and whom to call', () => {
      const child = {
        name: '王小红',
        idNumber: '150802201001011236',
        relationship: 'child' as const,
        phone: null,
      };
      const spouse = {
        name: '李芳',
        idNumber: '150802198201011241',
        relationship: 'spouse' as const,
        phone: null,
      };
      const forChild = [{ ...needs[0]!, memberIdNumbers: [child.idNumber] }, needs[1]!];
      const acceptedBy = { ...accept(), officer: { name: '李春梅', phone: '0478-8123456' } } as CaseCommand;
      const issued = (consentToShare: boolean) =>
        caseDecider
          .decide(
            acceptedBy,
            opened({ household: [applicant, spouse, child], needs: forChild, consentToShare }).reduce(
              caseDecider.evolve,
              caseDecider.initialState(),
            ),
          )
          .find((e) => e.type === 'intake.ReferralIssued')!.data as unknown as Record<string, unknown>;
      expect(issued(true)).toMatchObject({
        caseNumber: '150802-2026-000001',
        villageCode: '150802100201',
        // The applicant and the member the need names; not the spouse.
        members: [applicant, child],
        windowOfficer: { id: window.id, name: '李春梅', phone: '0478-8123456' },
        earlier: [],
      });
      // Without consent: the case and the window, no person.
      expect(issued(false)).toMatchObject({
        members: null,
        applicant: null,
        caseNumber: '150802-2026-000001',
      });
    });

    it('takes a hotline report only with its call record, and keeps who reported it', () => {
      const county = { id: 'u-county-linhe', role: 'county_civil_affairs' };
      spec
        .given([])
        .when(open({ channel: 'hotline', actor: county }))
        .thenThrows(/来电记录/);
      const call = {
        receivedAt: '2026-11-27T01:59:59.999Z',
        callerName: '邻居王女士',
        callbackNumber: '13904780002',
        summary: '家中失火',
      };
      spec
        .given([])
        .when(
          open({
            channel: 'hotline',
            actor: county,
            report: { source: 'hotline_caller', organisation: null, call },
          }),
        )
        .thenState((state) => {
          expect(state.openedBy).toBe(county.id);
          expect(state.report).toEqual({ source: 'hotline_caller', organisation: null, call });
        });
      // A call after the moment of registration is a typing error.
      spec
        .given([])
        .when(
          open({
            channel: 'hotline',
            actor: county,
            report: {
              source: 'hotline_caller',
              organisation: null,
              call: { ...call, receivedAt: '2026-11-27T02:00:00.001Z' },
            },
          }),
        )
        .thenThrows(/来电时间/);
    });

    it('refuses a need that names someone outside the household', () => {
      spec
        .given([])
        .when(open({ needs: [{ ...needs[0]!, memberIdNumbers: ['110101199001011237'] }] }))
        .thenThrows(/memberIdNumbers/);
    });

    it('cannot accept twice', () => {
      const history = [
        ...opened(),
        ...caseDecider.decide(accept(), opened().reduce(caseDecider.evolve, caseDecider.initialState())),
      ];
      spec
        .given(history)
        .when(accept())
        .thenThrows(/已受理/);
    });
  });

  describe('query code', () => {
    const accepted = () => [
      ...opened(),
      ...caseDecider.decide(accept(), opened().reduce(caseDecider.evolve, caseDecider.initialState())),
    ];
    const reissue = (actor = window, reason = '申请人遗失受理通知书'): CaseCommand => ({
      type: 'ReissueQueryCode',
      actor,
      now,
      queryCode: 'K7M4QX9TNP',
      reason,
    });

    it('the window replaces the code; the old one no longer belongs to the case', () => {
      spec
        .given(accepted())
        .when(reissue())
        .thenState((state, events) => {
          expect(events).toEqual([
            {
              type: 'intake.QueryCodeReissued',
              data: {
                caseId,
                queryCode: 'K7M4QX9TNP',
                reason: '申请人遗失受理通知书',
                by: window.id,
                at: now,
              },
            },
          ]);
          expect(state.queryCode).toBe('K7M4QX9TNP');
        });
    });

    it('refuses a village committee, a case not yet accepted, and a blank reason', () => {
      expect(() =>
        caseDecider.decide(
          reissue(village),
          accepted().reduce(caseDecider.evolve, caseDecider.initialState()),
        ),
      ).toThrow(expect.objectContaining({ code: 'ONLY_TOWNSHIP_REISSUES_CODE', status: 403 }));
      expect(() =>
        caseDecider.decide(reissue(), opened().reduce(caseDecider.evolve, caseDecider.initialState())),
      ).toThrow(expect.objectContaining({ code: 'CASE_NOT_ACCEPTED', status: 409 }));
      expect(() =>
        caseDecider.decide(
          reissue(window, '  '),
          accepted().reduce(caseDecider.evolve, caseDecider.initialState()),
        ),
      ).toThrow(expect.objectContaining({ code: 'REASON_REQUIRED' }));
    });
  });

  describe('coordinated handling', () => {
    const history = () => [
      ...opened(),
      ...caseDecider.decide(accept(), opened().reduce(caseDecider.evolve, caseDecider.initialState())),
    ];
    const progress = (status: 'received' | 'declined' | 'completed', detail = {}): CaseCommand => ({
      type: 'RecordReferralProgress',
      referralId,
      department: 'health',
      status,
      at: now,
      detail,
    });

    it('mirrors the department’s states on the case, once per change', () => {
      spec
        .given(history())
        .when(progress('received'))
        .thenState((s) => expect(s.referrals[0]!.status).toBe('received'));
      const afterReceived = [
        ...history(),
        ...caseDecider.decide(
          progress('received'),
          history().reduce(caseDecider.evolve, caseDecider.initialState()),
        ),
      ];
      spec.given(afterReceived).when(progress('received')).then([]);
    });

    it('follows a granted assistance after completion: a changed amount, then a stop, each once', () => {
      const step = (given: CaseEvent[], c: CaseCommand) => [
        ...given,
        ...caseDecider.decide(c, given.reduce(caseDecider.evolve, caseDecider.initialState())),
      ];
      const granted = step(history(), progress('completed', { outcome: 'granted', amount: 1400 }));
      const changed = step(granted, progress('completed', { outcome: 'granted', amount: 1100 }));
      expect(changed).toHaveLength(granted.length + 1);
      // The same change redelivered (or the grant itself again) records nothing.
      spec
        .given(changed)
        .when(progress('completed', { outcome: 'granted', amount: 1100 }))
        .then([]);
      const stopped = step(changed, progress('completed', { outcome: 'suspended', reason: '已停保' }));
      const referral = stopped.reduce(caseDecider.evolve, caseDecider.initialState()).referrals[0]!;
      expect(referral).toMatchObject({ status: 'completed', outcome: 'suspended', amount: 1100 });
      spec
        .given(stopped)
        .when(progress('completed', { outcome: 'suspended' }))
        .then([]);
    });

    it('refuses progress for a referral from a department it was not referred to', () => {
      const byHousing: CaseCommand = {
        type: 'RecordReferralProgress',
        referralId,
        department: 'housing',
        status: 'completed',
        at: now,
        detail: { outcome: 'granted' },
      };
      spec
        .given(history())
        .when(byHousing)
        .thenThrows(/不接受 housing 报送的进展/);
      expect(() =>
        caseDecider.decide(byHousing, history().reduce(caseDecider.evolve, caseDecider.initialState())),
      ).toThrow(
        expect.objectContaining({
          code: REFERRAL_NOT_OWNED,
          details: { referralId, owner: 'health', claimedBy: 'housing' },
        }),
      );
    });

    it('re-routes a declined referral to another department', () => {
      const declined = [
        ...history(),
        ...caseDecider.decide(
          progress('declined', { reason: '非本部门' }),
          history().reduce(caseDecider.evolve, caseDecider.initialState()),
        ),
      ];
      const newId = '0190a4c4-0000-7000-8000-0000000000r2';
      spec
        .given(declined)
        .when({
          type: 'RerouteReferral',
          referralId,
          reason: '改派民政',
          actor: window,
          now,
          route: {
            kind: 'department',
            referralId: newId,
            department: 'civil-affairs',
            departmentName: '民政部门',
            jurisdiction: '150802000000',
          },
        })
        .thenState((s, events) => {
          expect(events.map((e) => e.type)).toEqual(['intake.ReferralRerouted', 'intake.ReferralIssued']);
          expect(s.referrals.map((r) => [r.department, r.status])).toEqual([
            ['health', 'rerouted'],
            ['civil-affairs', 'issued'],
          ]);
          // The next department learns why the first declined and why the window rerouted it.
          expect(events[1]!.data).toMatchObject({
            earlier: [
              {
                referralId,
                department: 'health',
                status: 'rerouted',
                declineReason: '非本部门',
                reason: '改派民政',
                at: now,
              },
            ],
          });
        });
    });

    it('does not re-route a referral that was not declined', () => {
      spec
        .given(history())
        .when({
          type: 'RerouteReferral',
          referralId,
          reason: 'x',
          actor: window,
          now,
          route: { kind: 'government', jurisdiction: '150802000000', reason: 'x' },
        })
        .thenThrows(/退回/);
    });

    describe('transferred by the department', () => {
      const newId = '0190a4c4-0000-7000-8000-0000000000r3';
      const transfer = (fromDepartment = 'health'): CaseCommand => ({
        type: 'RecordReferralTransfer',
        referralId,
        fromDepartment,
        reason: '该需求属于住房救助范围',
        at: '2026-11-27T03:00:00.000Z',
        now,
        policy: { routing: 2 },
        route: {
          kind: 'department',
          referralId: newId,
          department: 'housing',
          departmentName: '住房和城乡建设部门',
          jurisdiction: '150802000000',
        },
      });
      const fold = (events: CaseEvent[]) => events.reduce(caseDecider.evolve, caseDecider.initialState());

      it('marks the referral transferred and issues the need to the target, without the window', () => {
        spec
          .given(history())
          .when(transfer())
          .thenState((s, events) => {
            expect(events.map((e) => e.type)).toEqual([
              'intake.ReferralTransferred',
              'intake.ReferralIssued',
            ]);
            expect(events[1]!.data).toMatchObject({
              referralId: newId,
              needId: 'need-1',
              category: 'medical',
              department: 'housing',
              jurisdiction: '150802000000',
              applicant: { name: applicant.name, idNumber: applicant.idNumber },
              policy: { routing: 2 },
            });
            expect(s.referrals.map((r) => [r.referralId, r.department, r.status])).toEqual([
              [referralId, 'health', 'transferred'],
              [newId, 'housing', 'issued'],
            ]);
            expect(s.referrals[0]).toMatchObject({
              reason: '该需求属于住房救助范围',
              transfer: {
                fromDepartment: 'health',
                toDepartment: 'housing',
                newReferralId: newId,
                reason: '该需求属于住房救助范围',
                at: '2026-11-27T03:00:00.000Z',
              },
            });
          });
      });

      it('issues nothing twice when the transfer is redelivered', () => {
        const once = [...history(), ...caseDecider.decide(transfer(), fold(history()))];
        spec.given(once).when(transfer()).then([]);
        expect(fold(once).referrals).toHaveLength(2);
      });

      it('refuses a transfer from a department that does not hold the referral', () => {
        expect(() => caseDecider.decide(transfer('education'), fold(history()))).toThrow(
          expect.objectContaining({
            code: REFERRAL_NOT_OWNED,
            details: { referralId, owner: 'health', claimedBy: 'education' },
          }),
        );
      });

      it('issues nothing for a referral the window already withdrew', () => {
        const revoked = [
          ...history(),
          ...caseDecider.decide(
            { type: 'RevokeReferral', referralId, reason: '申请人撤回', actor: window, now },
            fold(history()),
          ),
        ];
        spec.given(revoked).when(transfer()).then([]);
      });

      it('keeps the case open until the new referral is finished', () => {
        const once = [...history(), ...caseDecider.decide(transfer(), fold(history()))];
        expect(isCaseOpen(fold(once))).toBe(true);
        spec
          .given(once)
          .when({ type: 'RevokeReferral', referralId, reason: 'x', actor: window, now })
          .thenThrows(/不能撤回/);
      });
    });

    it('revokes a referral with a reason until it is completed', () => {
      spec
        .given(history())
        .when({ type: 'RevokeReferral', referralId, reason: '', actor: window, now })
        .thenThrows(/理由/);
      spec
        .given(history())
        .when({ type: 'RevokeReferral', referralId, reason: '申请人撤回', actor: window, now })
        .thenState((s) => expect(s.referrals[0]!.status).toBe('revoked'));
      const completed = [
        ...history(),
        ...caseDecider.decide(
          progress('completed', { outcome: 'granted', amount: 3000 }),
          history().reduce(caseDecider.evolve, caseDecider.initialState()),
        ),
      ];
      spec
        .given(completed)
        .when({ type: 'RevokeReferral', referralId, reason: 'x', actor: window, now })
        .thenThrows(/不能撤回/);
    });
  });

  describe('the government’s response to a reported need', () => {
    const liaison = { id: 'u-gov-linhe', role: 'government_liaison' };
    const respondBy = '2026-12-14T15:59:59.999Z';
    const reported = () => {
      const command = accept() as Extract<CaseCommand, { type: 'AcceptCase' }>;
      const withDeadline = {
        ...command,
        routes: {
          ...command.routes,
          'need-2': {
            kind: 'government' as const,
            jurisdiction: '150802000000',
            reason: '无适用政策',
            respondBy,
          },
        },
      };
      return [
        ...opened(),
        ...caseDecider.decide(withDeadline, opened().reduce(caseDecider.evolve, caseDecider.initialState())),
      ];
    };
    const respond = (overrides: Partial<Extract<CaseCommand, { type: 'RecordGovernmentResponse' }>> = {}) =>
      ({
        type: 'RecordGovernmentResponse',
        needId: 'need-2',
        decision: '由区政府协调民政局给予临时救助',
        responsibleDepartment: 'civil-affairs',
        amount: 3000,
        followUp: '民政局一周内回访',
        actor: liaison,
        now: '2026-12-15T01:00:00.000Z',
        ...overrides,
      }) as CaseCommand;

    it('also reports an escalated need to the government, and tells its department why', () => {
      const command = accept() as Extract<CaseCommand, { type: 'AcceptCase' }>;
      const reasons = ['申请金额 50000 元超过上报标准 20000 元', '存在极端行为风险：扬言轻生'];
      const events = caseDecider.decide(
        {
          ...command,
          escalations: {
            'need-1': { reasons, jurisdiction: '150802000000', respondBy },
            // A need the government already gets (no policy) is not reported twice.
            'need-2': { reasons, jurisdiction: '150802000000', respondBy },
          },
        },
        opened({ risk: { note: '扬言轻生' } }).reduce(caseDecider.evolve, caseDecider.initialState()),
      );
      expect(events.map((e) => e.type)).toEqual([
        'intake.CaseAccepted',
        'intake.AcceptanceNoticeIssued',
        'intake.ReferralIssued',
        'intake.CaseReportedToGovernment',
        'intake.CaseReportedToGovernment',
      ]);
      expect(events[2]!.data).toMatchObject({ department: 'health', escalated: reasons });
      expect(events[3]!.data).toMatchObject({ needId: 'need-1', reason: reasons.join('；'), respondBy });
      expect(events[4]!.data).toMatchObject({ needId: 'need-2', reason: '无适用政策' });
    });

    it('refuses a risk flag without a note', () => {
      spec
        .given([])
        .when(open({ risk: { note: '  ' } }))
        .thenThrows(/riskNote/);
    });

    it('records the report with the day its answer is due', () => {
      const state = reported().reduce(caseDecider.evolve, caseDecider.initialState());
      expect(state.reportedToGovernment).toEqual([
        {
          needId: 'need-2',
          category: 'other',
          reason: '无适用政策',
          at: now,
          jurisdiction: '150802000000',
          respondBy,
          response: null,
        },
      ]);
    });

    it('takes the liaison’s record of the decision, once; the report then shows it', () => {
      spec
        .given(reported())
        .when(respond())
        .thenState((state, events) => {
          expect(events.map((e) => e.type)).toEqual(['intake.GovernmentResponseRecorded']);
          expect(state.reportedToGovernment[0]!.response).toEqual({
            decision: '由区政府协调民政局给予临时救助',
            responsibleDepartment: 'civil-affairs',
            amount: 3000,
            followUp: '民政局一周内回访',
            by: liaison.id,
            at: '2026-12-15T01:00:00.000Z',
          });
        });
      const answered = [
        ...reported(),
        ...caseDecider.decide(respond(), reported().reduce(caseDecider.evolve, caseDecider.initialState())),
      ];
      spec
        .given(answered)
        .when(respond())
        .thenThrows(/已登记政府处理结果/);
    });

    it('is refused to anyone but the liaison, for a need not reported, and without a decision', () => {
      const check = (command: CaseCommand, code: string, status: number) => {
        try {
          caseDecider.decide(command, reported().reduce(caseDecider.evolve, caseDecider.initialState()));
          throw new Error('expected a refusal');
        } catch (e) {
          expect([(e as DomainError).code, (e as DomainError).status]).toEqual([code, status]);
        }
      };
      check(respond({ actor: window }), 'ONLY_GOVERNMENT_RESPONDS', 403);
      check(respond({ needId: 'need-1' }), 'REPORT_NOT_FOUND', 404);
      check(respond({ decision: '   ' }), 'DECISION_REQUIRED', 422);
      check(respond({ amount: -1 }), 'AMOUNT_INVALID', 422);
    });
  });

  describe('routing table', () => {
    const j = { countyCode: '150802000000', cityCode: '150800000000' };
    const need = (category: string) => ({ needId: 'n', category, description: '', requestedAmount: null });
    const id = () => 'r-1';

    it('routes each category to its department at the county or the city', () => {
      expect(planRoute(need('medical'), DEFAULT_ROUTING, j, id)).toMatchObject({
        kind: 'department',
        department: 'health',
        jurisdiction: '150802000000',
      });
      expect(planRoute(need('disease_emergency'), DEFAULT_ROUTING, j, id)).toMatchObject({
        department: 'health',
        jurisdiction: '150800000000',
      });
      expect(planRoute(need('dibao'), DEFAULT_ROUTING, j, id)).toMatchObject({ department: 'civil-affairs' });
      expect(planRoute(need('education'), DEFAULT_ROUTING, j, id)).toMatchObject({ department: 'education' });
    });

    it('hands employment over to the human-resources bureau outside the platform', () => {
      expect(planRoute(need('employment'), DEFAULT_ROUTING, j, id)).toMatchObject({
        kind: 'external',
        department: 'human-resources',
      });
    });

    it('reports a need with no policy that fits to the same-level government', () => {
      expect(planRoute(need('other'), DEFAULT_ROUTING, j, id)).toMatchObject({
        kind: 'government',
        jurisdiction: '150802000000',
      });
    });
  });
});
