// The dibao application as GET /civil-affairs/dibao/applications/:id returns it.
export interface Officer {
  id: string;
  name: string;
  roleName: string;
}

export interface Member {
  name: string;
  idNumber: string;
  relationship: string;
  disabled: boolean;
  seriousIllness: boolean;
}

export interface DibaoView {
  applicationId: string;
  caseId: string;
  caseNumber: string;
  villageCode: string;
  program: string;
  programName: string;
  status: string;
  statusName: string;
  paused: boolean;
  place: { villageName: string; townshipName: string; countyName: string; fullName: string };
  area: string;
  areaName: string;
  applicant: { name: string; idNumber: string; phone: string | null } | null;
  description: string;
  urgency: string;
  receivedAt: string;
  staffRelative: boolean;
  staffMatches: { staffName: string; staffPosition: string; organisation: string; relationship: string }[];
  decidedBy: 'township' | 'county';
  decidedByName: string;
  investigation: {
    date: string;
    investigators: string[];
    membersPresent: string[];
    household: Member[];
    area: string;
    livingConditions: string;
    incomes: { memberIdNumber: string | null; source: string; monthlyAmount: number }[];
    assets: { kind: string; description: string; value: number | null }[];
    specialHardship: { noWorkCapacity: boolean; noIncomeSource: boolean; noSupporterAble: boolean } | null;
    by: Officer;
    at: string;
  } | null;
  verification: {
    findings: { department: string; findings: string }[];
    conclusion: string;
    by: Officer;
    at: string;
  } | null;
  appraisal:
    | {
        held: true;
        date: string;
        participantsDue: number;
        attended: number;
        agreed: number;
        record: string;
        valid: boolean;
        passed: boolean;
        by: Officer;
        at: string;
      }
    | { held: false; reason: string; by: Officer; at: string }
    | null;
  townshipReview: Review | null;
  notices: { kind: string; name: string; startsAt: string; endsAt: string; by: Officer }[];
  currentNotice: { kind: string; name: string; startsAt: string; endsAt: string } | null;
  submittedAt: string | null;
  spotCheckSample: { sampled: boolean; reason: string; percent: number; month: string } | null;
  spotCheck: {
    visitDate: string;
    visitors: string[];
    findings: string;
    confirmed: boolean;
    by: Officer;
    at: string;
  } | null;
  staffRelativeFiling: { note: string; by: Officer; at: string } | null;
  countyReview: Review | null;
  objections: {
    objectionId: string;
    reference: string;
    noticeName: string;
    content: string;
    contact: string | null;
    filedAt: string;
    dueAt: string;
    status: string;
    statusName: string;
    opinion: string | null;
    decidedBy: Officer | null;
    decidedAt: string | null;
    overdue: boolean;
  }[];
  mustReject: boolean;
  decision: {
    outcome: string;
    outcomeName: string;
    levelName: string;
    documentName: string;
    documentNumber: string;
    monthlyAmount: number | null;
    reasons: string[];
    opinion: string;
    by: Officer;
    at: string;
    allowance: {
      standardMonthly: number;
      members: number;
      householdMonthlyIncome: number;
      perCapitaIncome: number;
      base: number;
      supplements: { name: string; kindNames: string[]; amount: number }[];
      monthlyAmount: number;
    } | null;
  } | null;
  rechecks: { date: string; findings: string; conclusionName: string; by: Officer; at: string }[];
  changes: {
    previousAmount: number;
    monthlyAmount: number;
    documentNumber: string;
    documentName: string;
    opinion: string;
    by: Officer;
    at: string;
  }[];
  currentMonthlyAmount: number | null;
  suspension: {
    documentNumber: string;
    documentName: string;
    reasons: string[];
    opinion: string;
    by: Officer;
    at: string;
  } | null;
  deadlines: {
    step: string;
    stepName: string;
    dueAt: string;
    extended: boolean;
    done: boolean;
    overdue: boolean;
  }[];
  overdue: { step: string; stepName: string }[];
  history: { step: string; stepName: string; officer: Officer | null; opinion: string | null; at: string }[];
  withdrawnReason: string | null;
}

export interface Review {
  recommendation: 'approve' | 'reject';
  opinion: string;
  by: Officer;
  at: string;
}

// antd's secondary grey is below 4.5:1 on white (axe color-contrast).
