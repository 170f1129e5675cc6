/**
 * The filing registry of social-assistance staff, village and residents' committee cadres and their close
 * relatives (经办人员及近亲属备案): what the dibao application asks at acceptance. Implemented by the
 * staff-filing capability, provided under STAFF_FILING_REGISTRY.
 */
export interface StaffRelativeMatch {
  /** The household member's ID number that matched. */
  idNumber: string;
  /** The filing that matched: the staff member or cadre, and how the member is related to them. */
  filingId: string;
  staffName: string;
  staffPosition: string;
  organisation: string;
  /** 'self' when the member is the staff member or cadre; otherwise spouse, parent, child, sibling… */
  relationship: string;
}

export interface StaffFilingRegistry {
  /** Filings that name any of these ID numbers (as the staff member or as a close relative), in force now. */
  match(idNumbers: string[]): Promise<StaffRelativeMatch[]>;
}

export const STAFF_FILING_REGISTRY = Symbol('STAFF_FILING_REGISTRY');
