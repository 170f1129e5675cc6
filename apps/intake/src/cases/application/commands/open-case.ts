import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { uuidv7 } from '@platform/event-store';
import type {
  CallRecord,
  CaseState,
  Channel,
  Member,
  ReportSource,
  Urgency,
} from '../../domain/case.decider.js';
import { forPeople, INTAKE_CASES, type IntakeCases } from '../intake-cases.js';

export interface OpenCaseRequest {
  channel: Channel;
  villageCode: string;
  household: Array<Omit<Member, 'phone'> & { phone?: string | null }>;
  needs: Array<{
    category: string;
    description: string;
    requestedAmount?: number | null;
    memberIdNumbers?: string[];
  }>;
  urgency?: Urgency;
  consentToShare: boolean;
  onBehalfOf?: string;
  duplicateOverrideReason?: string;
  source?: ReportSource;
  organisation?: string;
  call?: CallRecord;
  riskOfExtremeBehaviour?: boolean;
  riskNote?: string;
  /** The applicant's consent to be told of each need's result, and an email for it. */
  notify?: { consent: boolean; email?: string | null };
}

/** Who reported it when the form does not say: the channel, or the role of whoever found it. */
function defaultSource(channel: Channel, role: string): ReportSource {
  if (channel === 'window') return 'applicant';
  if (channel === 'hotline') return 'hotline_caller';
  if (role === 'village_verifier') return 'village_committee';
  if (role === 'social_worker') return 'social_worker';
  return 'other';
}

/** 登记求助: a person asks for help at the window, the hotline, or is found by proactive discovery. */
export class OpenCaseCommand extends Command<CaseState> {
  constructor(
    readonly request: OpenCaseRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(OpenCaseCommand)
export class OpenCaseHandler implements ICommandHandler<OpenCaseCommand> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ request: dto, actor }: OpenCaseCommand): Promise<CaseState> {
    const tree = this.intake.tree();
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
        { permission: 'cases:open' },
      );
    }
    const township = tree.at(village.code, 'township')!;
    const county = tree.at(village.code, 'county')!;
    const now = this.intake.now();
    const caseId = uuidv7(now.getTime());
    const year = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
    const { caseSeq, documentSeq } = await this.intake.query.nextCaseAndDocumentSequence();
    const caseNumber = `${county.code.slice(0, 6)}-${year}-${String(caseSeq).padStart(6, '0')}`;
    const documentNumber = `告知-${township.code.slice(0, 9)}-${year}-${String(documentSeq).padStart(6, '0')}`;
    const needs = dto.needs.map((n, i) => ({
      needId: `need-${i + 1}`,
      category: n.category,
      description: n.description,
      requestedAmount: n.requestedAmount ?? null,
      ...(n.memberIdNumbers?.length ? { memberIdNumbers: [...new Set(n.memberIdNumbers)] } : {}),
    }));
    const idNumbers = dto.household.map((m) => m.idNumber);
    const materials = this.intake.policy.asOf('materials', now);
    return forPeople(this.intake, idNumbers, async (transaction) => {
      const found = await this.intake.query.claimAndFindDuplicates(
        { caseId, caseNumber, villageCode: village.code },
        idNumbers,
        needs.map((n) => n.category),
        transaction,
      );
      // Another jurisdiction's case is named by its county only: its number and needs are not the
      // caller's to see. The case number starts with its county's first six digits.
      const duplicates = found.map(({ villageCode, ...d }) => {
        const visible =
          actor.role === 'auditor' ||
          (villageCode !== null && tree.contains(actor.jurisdiction, villageCode));
        const countyCode = villageCode
          ? tree.at(villageCode, 'county')?.code
          : `${d.caseNumber.slice(0, 6)}000000`;
        return {
          ...d,
          visible,
          elsewhere: countyCode ? tree.fullName(countyCode) || '其他地区' : '其他地区',
        };
      });
      if (duplicates.some((d) => !d.visible)) {
        await this.intake.accessLog.record(actor, {
          resourceType: 'duplicate-check',
          resourceId: caseId,
          caseId: null,
          fields: ['household.idNumber'],
          purpose: '重复登记检查：其他辖区有同类在办案件',
        });
      }
      const { state } = await this.intake.cases.handle(
        caseId,
        {
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
          notify: dto.notify
            ? { consent: dto.notify.consent, email: dto.notify.email?.trim() || null }
            : null,
          report: {
            source: dto.source ?? defaultSource(dto.channel, actor.role),
            organisation: dto.organisation?.trim() || null,
            call: dto.call
              ? {
                  receivedAt: new Date(dto.call.receivedAt).toISOString(),
                  callerName: dto.call.callerName.trim(),
                  callbackNumber: dto.call.callbackNumber,
                  summary: dto.call.summary.trim(),
                }
              : null,
          },
          risk: dto.riskOfExtremeBehaviour ? { note: dto.riskNote!.trim() } : null,
          actor,
          now: now.toISOString(),
          notification: {
            documentNumber,
            materials: needs.map((n) => ({
              needId: n.needId,
              category: n.category,
              items: materials.content[n.category] ?? materials.content['other'] ?? [],
            })),
          },
          policy: { materials: materials.version },
          duplicates,
          duplicateOverrideReason: dto.duplicateOverrideReason ?? null,
        },
        {
          // Whom the case was opened for is personal data: it stays in the case's own event, not in the
          // metadata every integration message and the ledger carry.
          metadata: eventMetadata(actor, { now }),
          transaction,
          isNew: true,
        },
      );
      return state;
    });
  }
}
