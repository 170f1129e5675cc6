// Which values of an event are a person's: found by the property that holds them, wherever it sits in the
// event (a household's members, a referral's applicant, a call's caller). Structural values — ids,
// categories, statuses, amounts, dates, places — stay in the clear so that the record, its statistics
// and its hash chain remain readable after a person is forgotten.

/** Properties whose string (or number) values, or whose arrays of them, are personal. */
export const PERSONAL_KEYS: ReadonlySet<string> = new Set([
  // names
  'name',
  'personName',
  'headName',
  'householdName',
  'callerName',
  'applicantName',
  'patientName',
  'studentName',
  'relativeName',
  'guardianName',
  'contactName',
  // identity numbers
  'idNumber',
  'personIdNumber',
  'headIdNumber',
  'applicantIdNumber',
  'relativeIdNumber',
  'memberIdNumber',
  'memberIdNumbers',
  'removedIdNumbers',
  'checkedIdNumbers',
  // how to reach them
  'phone',
  'callbackNumber',
  'contactPhone',
  'mobile',
  'email',
  'address',
  'contact',
  // their circumstances in their own or an officer's words
  'description',
  'summary',
  'livingConditions',
  'statement',
  'explanation',
  'note',
]);

/**
 * Properties that hold officers, not residents: their names stay readable (an erasure of a household must
 * not hide which window officer or investigator handled it).
 */
export const OFFICIAL_KEYS: ReadonlySet<string> = new Set([
  'actor',
  'officer',
  'windowOfficer',
  'investigators',
  'inspectors',
  'visitors',
  'countyApprovers',
  'townshipReviewers',
  'attended',
]);

/** A resident ID number (GB 11643) anywhere in a personal value: the subject index is built from these. */
const RESIDENT_ID = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/g;

/** What an erased value reads as. */
export const ERASED = '（已删除）';

/** A sealed value as it is stored: an object no person's text can be, naming the key that opens it. */
export interface SealedValue {
  $pd: string;
  k: string;
}

export function isSealed(v: unknown): v is SealedValue {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as { $pd?: unknown; k?: unknown };
  return typeof o.$pd === 'string' && typeof o.k === 'string' && Object.keys(v).length === 2;
}

/**
 * The household key of a part of an event: `case:<id>` of the nearest enclosing object with a `caseId`
 * (the event itself, or an item of a list that names several households), else the stream's own key.
 */
function keyWithin(v: object, outer: string): string {
  const caseId = (v as { caseId?: unknown }).caseId;
  return typeof caseId === 'string' && caseId ? `case:${caseId}` : outer;
}

/** Resident ID numbers in a personal value (upper-cased), for the subject index. */
export function residentIdsIn(value: string): string[] {
  return [...value.matchAll(RESIDENT_ID)].map((m) => m[0].toUpperCase());
}

/**
 * A copy of `data` with every personal value replaced by `seal(value, keyId)`, the key being its
 * household's (`keyWithin`) or `streamKey`; `found` gets each resident ID number met, with that key.
 * Arrays under a personal key are sealed element by element (their length stays), objects under one are
 * walked, so that a reader that maps over members still can after an erasure.
 */
export function sealPersonalFields(
  data: unknown,
  streamKey: string,
  seal: (value: string | number, keyId: string) => SealedValue,
  found: (idNumber: string, keyId: string) => void,
): unknown {
  const walk = (input: unknown, personal: boolean, keyId: string): unknown => {
    // As JSON would see it (a Date is its ISO text): the sealed copy is what gets stored.
    const v =
      input !== null &&
      typeof input === 'object' &&
      typeof (input as { toJSON?: unknown }).toJSON === 'function'
        ? (input as { toJSON: () => unknown }).toJSON()
        : input;
    if (Array.isArray(v)) return v.map((x) => walk(x, personal, keyId));
    if (v !== null && typeof v === 'object') {
      if (isSealed(v)) return v;
      const inner = keyWithin(v, keyId);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v))
        out[k] = OFFICIAL_KEYS.has(k) ? x : walk(x, PERSONAL_KEYS.has(k), inner);
      return out;
    }
    if (personal && (typeof v === 'string' || typeof v === 'number')) {
      if (typeof v === 'string') for (const id of residentIdsIn(v)) found(id, keyId);
      return seal(v, keyId);
    }
    return v;
  };
  return walk(data, false, streamKey);
}

/** The keys `sealPersonalFields` will use for `data` (none when nothing in it is personal). */
export function keysToSeal(data: unknown, streamKey: string): Set<string> {
  const keys = new Set<string>();
  const walk = (v: unknown, personal: boolean, keyId: string): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, personal, keyId));
    else if (v !== null && typeof v === 'object') {
      if (isSealed(v) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return;
      const inner = keyWithin(v, keyId);
      for (const [k, x] of Object.entries(v)) if (!OFFICIAL_KEYS.has(k)) walk(x, PERSONAL_KEYS.has(k), inner);
    } else if (personal && (typeof v === 'string' || typeof v === 'number')) keys.add(keyId);
  };
  walk(data, false, streamKey);
  return keys;
}

/** The keys that open the sealed values in `data`. */
export function sealedKeysIn(data: unknown, into: Set<string> = new Set()): Set<string> {
  if (isSealed(data)) into.add(data.k);
  else if (Array.isArray(data)) data.forEach((x) => sealedKeysIn(x, into));
  else if (data !== null && typeof data === 'object')
    Object.values(data).forEach((x) => sealedKeysIn(x, into));
  return into;
}

/** Whether anything in `data` is sealed (events recorded before sealing began have nothing to open). */
export function hasSealed(data: unknown): boolean {
  if (isSealed(data)) return true;
  if (Array.isArray(data)) return data.some(hasSealed);
  if (data !== null && typeof data === 'object') return Object.values(data).some(hasSealed);
  return false;
}

/** A copy of `data` with every sealed value replaced by `open(value)`. */
export function openPersonalFields(data: unknown, open: (sealed: SealedValue) => unknown): unknown {
  const walk = (v: unknown): unknown => {
    if (isSealed(v)) return open(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(data);
}
