import { requireMembers, type RegisterVerificationAnswer } from '@platform/assistance-domain';
import type { DiseaseEmergencyEvent } from './disease-emergency.decider.js';
import type { MedicalAssistanceEvent } from './medical-assistance.decider.js';
import { lastTwelveMonths, yuanOf } from './values.js';

/**
 * The health department's register of assistance given (救助台账), per person and household, folded from
 * its events; household economic verification (家庭经济状况核对) is answered from it, and from nothing else.
 */

export type HealthProgramme = 'medical_assistance' | 'disease_emergency';

export const PROGRAMME_NAMES: Record<HealthProgramme, string> = {
  medical_assistance: '医疗救助',
  disease_emergency: '疾病应急救助',
};

export interface HealthRegisterEntry {
  /** Null for a disease-emergency patient not (yet) identified. */
  personIdNumber: string | null;
  /** As the officer reads the register (never part of a verification answer). */
  personName: string | null;
  householdId: string | null;
  programme: HealthProgramme;
  /** Assistance given, fen (for disease emergency: paid to the hospital for the person's treatment). */
  amountFen: number;
  /** Date of service (medical assistance) or of payment (disease emergency), Beijing. */
  date: string;
  /** The settlement number or the report id the assistance was decided under. */
  decisionReference: string;
  /** The medical expenses behind it: the total cost, and what the person bore after insurance and assistance. */
  medicalCostFen: number;
  personalPaymentFen: number;
  seriousIllness: boolean;
  /** The county whose officers gave it (the claim's county, the hospital's for disease emergency). */
  countyCode: string;
  hospital: string;
}

export type HealthRegisterEvent = MedicalAssistanceEvent | DiseaseEmergencyEvent;

/** One event into the register: entries for assistance given, identity for a patient identified later. */
export function foldHealthRegister(
  entries: readonly HealthRegisterEntry[],
  event: HealthRegisterEvent,
): HealthRegisterEntry[] {
  switch (event.type) {
    case 'health.MedicalClaimAssessed': {
      const d = event.data;
      // A claim paying nothing is still a medical expense on record.
      return [
        ...entries,
        {
          personIdNumber: d.person.idNumber,
          personName: d.person.name,
          householdId: d.person.householdId,
          programme: 'medical_assistance',
          amountFen: d.assistanceFen,
          date: d.serviceDate,
          decisionReference: d.claimId,
          medicalCostFen: d.totalCostFen,
          personalPaymentFen: d.personalPaymentFen,
          seriousIllness: d.seriousIllness,
          countyCode: d.countyCode,
          hospital: d.hospital,
        },
      ];
    }
    case 'health.DiseaseEmergencyPaid': {
      const d = event.data;
      return [
        ...entries,
        {
          personIdNumber: d.patient?.idNumber ?? null,
          personName: d.patient?.name ?? null,
          householdId: d.patient?.householdId ?? null,
          programme: 'disease_emergency',
          amountFen: d.amountFen,
          date: d.paidOn,
          decisionReference: d.reportId,
          medicalCostFen: d.emergencyCostFen,
          personalPaymentFen: d.paidByPatientFen,
          seriousIllness: false,
          countyCode: d.hospital.countyCode,
          hospital: d.hospital.name,
        },
      ];
    }
    case 'health.DiseaseEmergencyPatientIdentified': {
      const d = event.data;
      return entries.map((e) =>
        e.programme === 'disease_emergency' && e.decisionReference === d.reportId && e.personIdNumber === null
          ? {
              ...e,
              personIdNumber: d.patient.idNumber,
              personName: d.patient.name,
              householdId: d.patient.householdId,
            }
          : e,
      );
    }
    case 'health.MedicalCategoryRecorded':
    case 'health.DiseaseEmergencyReported':
    case 'health.DiseaseEmergencyReviewed':
    case 'health.DiseaseEmergencyRefused':
      return entries as HealthRegisterEntry[];
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

/** The register from the department's events, in the order they were recorded. */
export const healthRegisterOf = (events: readonly HealthRegisterEvent[]): HealthRegisterEntry[] =>
  events.reduce<HealthRegisterEntry[]>(foldHealthRegister, []);

// ---------------------------------------------------------------------------------------------------
// Verification

/** What the verification contract lets health say about one member: nothing else leaves the department. */
export type HealthMemberAnswer =
  | { idNumber: string; onRecord: false }
  | {
      idNumber: string;
      onRecord: true;
      /** 医疗费用: the total cost of care on record in the period. */
      medicalExpensesYuan: number;
      /** 个人负担: of which the person bore, after insurance and assistance. */
      personalPaymentYuan: number;
      /** 医疗救助 and 疾病应急救助 paid for the person in the period. */
      assistancePaidYuan: number;
      /** 重特大疾病: a claim in the period was for a serious illness on the region's list. */
      seriousIllness: boolean;
    };

export type HealthVerificationAnswer = RegisterVerificationAnswer<
  'health',
  { members: HealthMemberAnswer[] }
>;

/**
 * 核对回复: medical expenses and assistance paid in the twelve months up to `asOf`, and serious-illness
 * status, for the members asked about (the household's authorisation covers them, not their relatives).
 */
export function answerVerification(
  entries: readonly HealthRegisterEntry[],
  memberIdNumbers: readonly string[],
  asOf: string,
): HealthVerificationAnswer {
  const members = requireMembers(memberIdNumbers, asOf);
  const period = lastTwelveMonths(asOf);
  const inPeriod = entries.filter((e) => e.date >= period.from && e.date <= period.to);
  const answers: HealthMemberAnswer[] = members.map((idNumber) => {
    const mine = inPeriod.filter((e) => e.personIdNumber === idNumber);
    if (mine.length === 0) return { idNumber, onRecord: false };
    const sum = (pick: (e: HealthRegisterEntry) => number) => yuanOf(mine.reduce((s, e) => s + pick(e), 0));
    return {
      idNumber,
      onRecord: true,
      medicalExpensesYuan: sum((e) => e.medicalCostFen),
      personalPaymentYuan: sum((e) => e.personalPaymentFen),
      assistancePaidYuan: sum((e) => e.amountFen),
      seriousIllness: mine.some((e) => e.seriousIllness),
    };
  });
  if (answers.every((a) => !a.onRecord)) {
    return {
      department: 'health',
      result: 'nothing_on_record',
      asOf,
      period,
      statement: `经查询，${period.from} 至 ${period.to} 期间，卫生健康部门无被核对人员的医疗费用、医疗救助、疾病应急救助及重特大疾病记录。`,
    };
  }
  return { department: 'health', result: 'on_record', asOf, period, members: answers };
}
