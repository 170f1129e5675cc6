import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Authorizer, eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { uuidv7 } from '@platform/event-store';
import type { Relationship, StaffFilingState, StaffKind } from '../../domain/staff-filing.decider.js';
import {
  actorRef,
  assertMayHandle,
  assertResidentId,
  forStaffMember,
  jurisdictionNode,
  STAFF_FILINGS,
  type StaffFilings,
} from '../staff-filings.js';

export interface FileStaffMemberRequest {
  staff: {
    name: string;
    idNumber: string;
    kind: StaffKind;
    position: string;
    organisation: string;
    jurisdictionCode: string;
  };
  relatives: Array<{ name: string; idNumber: string; relationship: Relationship }>;
}

/** 备案: a staff member or cadre and their close relatives are put on the registry. */
export class FileStaffMemberCommand extends Command<StaffFilingState> {
  constructor(
    readonly request: FileStaffMemberRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(FileStaffMemberCommand)
export class FileStaffMemberHandler implements ICommandHandler<FileStaffMemberCommand> {
  constructor(
    @Inject(STAFF_FILINGS) private readonly ctx: StaffFilings,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {}

  async execute({ request, actor }: FileStaffMemberCommand): Promise<StaffFilingState> {
    const permission = 'staff-filings:file';
    const tree = this.authz.tree;
    const post = jurisdictionNode(tree, request.staff.jurisdictionCode, 'staff.jurisdictionCode');
    assertMayHandle(this.authz, actor, { kind: request.staff.kind, jurisdictionCode: post.code }, permission);
    const now = this.ctx.now();
    assertResidentId(request.staff.idNumber, 'staff.idNumber', now);
    request.relatives.forEach((r, i) => assertResidentId(r.idNumber, `relatives[${i}].idNumber`, now));
    const staffId = request.staff.idNumber.trim().toUpperCase();
    const filingId = uuidv7(now.getTime());
    return forStaffMember(this.ctx, staffId, async (transaction) => {
      // Under the staff member's lock: a filing committed by whoever held it before is seen here.
      const existing = (await this.ctx.registry.match([staffId])).find((m) => m.relationship === 'self');
      const { state } = await this.ctx.filings.handle(
        filingId,
        {
          type: 'FileStaffMember',
          filingId,
          staff: {
            ...request.staff,
            idNumber: staffId,
            jurisdictionCode: post.code,
            jurisdictionLevel: post.level,
            townshipCode: tree.at(post.code, 'township')?.code ?? null,
            countyCode: tree.at(post.code, 'county')?.code ?? null,
          },
          relatives: request.relatives,
          existingFiling: existing
            ? {
                filingId: existing.filingId,
                staffName: existing.staffName,
                organisation: existing.organisation,
              }
            : null,
          actor: actorRef(actor),
          now: now.toISOString(),
        },
        { metadata: eventMetadata(actor, { now }), transaction, isNew: true },
      );
      return state;
    });
  }
}
