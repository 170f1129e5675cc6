import {
  DibaoAllowancePeriodEntry,
  DibaoApplicationEntry,
  DibaoDocumentCounter,
  DibaoHouseholdMemberEntry,
} from './dibao.entities.js';
import { DibaoReadModel1764806400000 } from './migrations/1764806400000-dibao-read-model.js';
import { DibaoSuspension1764892800000 } from './migrations/1764892800000-dibao-suspension.js';
import { DibaoAllowancePeriods1765065600000 } from './migrations/1765065600000-dibao-allowance-periods.js';
import { DibaoRecipientList1765152000000 } from './migrations/1765152000000-dibao-recipient-list.js';
import { DibaoMembersAndProvisional1765324800000 } from './migrations/1765324800000-dibao-members-and-provisional.js';

/** The dibao capability's read models and the migrations that shape their tables, in order. */
export const dibaoReadModel = {
  entities: [
    DibaoApplicationEntry,
    DibaoAllowancePeriodEntry,
    DibaoHouseholdMemberEntry,
    DibaoDocumentCounter,
  ],
  migrations: [
    DibaoReadModel1764806400000,
    DibaoSuspension1764892800000,
    DibaoAllowancePeriods1765065600000,
    DibaoRecipientList1765152000000,
    DibaoMembersAndProvisional1765324800000,
  ],
};
