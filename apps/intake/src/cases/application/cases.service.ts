import { randomInt } from 'node:crypto';
import { AccessLog, type AuthenticatedActor, type JurisdictionTree } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { uuidv7 } from '@platform/event-store';
import { planRoute, type CaseState, type RouteDecision } from '../domain/case.decider.js';
import { DEFAULT_MATERIALS, DEFAULT_ROUTING, DEPARTMENT_NAMES, type Route } from '../domain/policy.js';
import type { CaseQuery } from '../read-model/case.query.js';
import type { OpenCaseDto, RerouteDto } from '../api/case.dto.js';
import { CaseCommandService } from './case-command.service.js';

export interface CasePolicies {
  routing: Record<string, Route>;
  materials: Record<string, string[]>;
}

export const DEFAULT_POLICIES: CasePolicies = { routing: DEFAULT_ROUTING, materials: DEFAULT_MATERIALS };

/** The window's use cases: resolve jurisdiction, numbers and policy, then hand the decision to the decider. */
export class CasesService {
  constructor(
    readonly commands: CaseCommandService,
    readonly query: CaseQuery,
    readonly tree: () => JurisdictionTree,
    readonly accessLog: AccessLog,
    private readonly now: () => Date,
    private readonly policies: CasePolicies = DEFAULT_POLICIES,
  ) {}

  /** 403 unless the case's village lies in the actor's jurisdiction (auditors may read anything). */
  assertCaseInJurisdiction(actor: AuthenticatedActor, state: CaseState, permission: string): void {
    if (state.status === 'none') throw new DomainError('CASE_NOT_FOUND', '案件不存在', 404);
    if (actor.role === 'auditor') return;
    if (!this.tree().contains(actor.jurisdiction, state.villageCode!)) {
      throw new DomainError(
        'OUT_OF_JURISDICTION',
        `无权执行此操作（${permission}）：该案件不在您的辖区内`,
        403,
        { permission },
      );
    }
  }

  async open(dto: OpenCaseDto, actor: AuthenticatedActor) {
    const tree = this.tree();
    const village = tree.get(dto.villageCode);
    if (!village || village.level !== 'village') {
      throw new DomainError(
        'UNKNOWN_VILLAGE',
        `villageCode：${dto.villageCode} 不是已登记的村（社区）`,
        422,
        { field: 'villageCode' },
      );
    }
    if (!tree.contains(actor.jurisdiction, village.code)) {
      throw new DomainError(
        'OUT_OF_JURISDICTION',
        `无权执行此操作（cases:open）：${tree.fullName(village.code)} 不在您的辖区内`,
        403,
        {
          permission: 'cases:open',
        },
      );
    }
    const township = tree.at(village.code, 'township')!;
    const county = tree.at(village.code, 'county')!;
    const now = this.now();
    const caseId = uuidv7(now.getTime());
    const year = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
    const { caseSeq, documentSeq } = await this.query.nextCaseAndDocumentSequence();
    const caseNumber = `${county.code.slice(0, 6)}-${year}-${String(caseSeq).padStart(6, '0')}`;
    const documentNumber = `告知-${township.code.slice(0, 9)}-${year}-${String(documentSeq).padStart(6, '0')}`;
    const needs = dto.needs.map((n, i) => ({
      needId: `need-${i + 1}`,
      category: n.category,
      description: n.description,
      requestedAmount: n.requestedAmount ?? null,
    }));
    const idNumbers = dto.household.map((m) => m.idNumber);
    return this.commands.forPeople(idNumbers, async (transaction) => {
      const duplicates = await this.query.claimAndFindDuplicates(
        { caseId, caseNumber },
        idNumbers,
        needs.map((n) => n.category),
        transaction,
      );
      const { state } = await this.commands.handle(
        caseId,
        () => ({
          type: 'OpenCase',
          caseId,
          caseNumber,
          channel: dto.channel,
          villageCode: village.code,
          townshipCode: township.code,
          countyCode: county.code,
          household: dto.household.map((m) => ({
            name: m.name,
            idNumber: m.idNumber,
            relationship: m.relationship,
            phone: m.phone ?? null,
          })),
          needs,
          urgency: dto.urgency ?? 'normal',
          consentToShare: dto.consentToShare,
          onBehalfOf: dto.onBehalfOf ?? null,
          actor,
          now: now.toISOString(),
          notification: {
            documentNumber,
            materials: needs.map((n) => ({
              needId: n.needId,
              category: n.category,
              items: this.policies.materials[n.category] ?? [],
            })),
          },
          duplicates,
          duplicateOverrideReason: dto.duplicateOverrideReason ?? null,
        }),
        { actor, now, onBehalfOf: dto.onBehalfOf, transaction },
        3,
        true,
      );
      return state;
    });
  }

  async accept(caseId: string, actor: AuthenticatedActor) {
    const { state: current } = await this.commands.load(caseId);
    this.assertCaseInJurisdiction(actor, current, 'cases:accept');
    const now = this.now();
    const year = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
    const documentNumber = `受理-${current.townshipCode!.slice(0, 9)}-${year}-${String(await this.query.nextDocumentSequence()).padStart(6, '0')}`;
    const queryCode = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const city = this.tree().at(current.villageCode!, 'city')!;
    const { state } = await this.commands.handle(
      caseId,
      (s) => ({
        type: 'AcceptCase',
        actor,
        now: now.toISOString(),
        notice: { documentNumber, queryCode },
        routes: Object.fromEntries(
          s.needs.map((n) => [
            n.needId,
            planRoute(n, this.policies.routing, { countyCode: s.countyCode!, cityCode: city.code }, () =>
              uuidv7(),
            ),
          ]),
        ),
      }),
      { actor, now },
    );
    return state;
  }

  async reroute(caseId: string, referralId: string, dto: RerouteDto, actor: AuthenticatedActor) {
    const { state: current } = await this.commands.load(caseId);
    this.assertCaseInJurisdiction(actor, current, 'cases:reroute');
    if (!dto.department && !dto.reportToGovernment) {
      throw new DomainError('ROUTE_REQUIRED', 'department 或 reportToGovernment 必须填写其一', 422, {
        field: 'department',
      });
    }
    const now = this.now();
    const city = this.tree().at(current.villageCode!, 'city')!;
    let route: RouteDecision;
    if (dto.department) {
      const rule = Object.values(this.policies.routing).find((r) => r.department === dto.department);
      route = {
        kind: 'department',
        referralId: uuidv7(),
        department: dto.department,
        departmentName: DEPARTMENT_NAMES[dto.department] ?? dto.department,
        jurisdiction: rule?.level === 'city' ? city.code : current.countyCode!,
      };
    } else {
      route = { kind: 'government', jurisdiction: current.countyCode!, reason: dto.reason };
    }
    const { state } = await this.commands.handle(
      caseId,
      () => ({
        type: 'RerouteReferral',
        referralId,
        route,
        actor,
        reason: dto.reason,
        now: now.toISOString(),
      }),
      { actor, now },
    );
    return state;
  }

  async revoke(caseId: string, referralId: string, reason: string, actor: AuthenticatedActor) {
    const { state: current } = await this.commands.load(caseId);
    this.assertCaseInJurisdiction(actor, current, 'cases:revoke-referral');
    const now = this.now();
    return (
      await this.commands.handle(
        caseId,
        () => ({ type: 'RevokeReferral', referralId, reason, actor, now: now.toISOString() }),
        { actor, now },
      )
    ).state;
  }

  async externalOutcome(
    caseId: string,
    referralId: string,
    outcome: 'granted' | 'not_eligible',
    note: string,
    actor: AuthenticatedActor,
  ) {
    const { state: current } = await this.commands.load(caseId);
    this.assertCaseInJurisdiction(actor, current, 'cases:external-outcome');
    const now = this.now();
    return (
      await this.commands.handle(
        caseId,
        () => ({ type: 'RecordExternalOutcome', referralId, outcome, note, actor, now: now.toISOString() }),
        { actor, now },
      )
    ).state;
  }
}
