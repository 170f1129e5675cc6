// Which values of an event are a person's: found by the property that holds them, wherever it sits in the
// event (a household's members, a referral's applicant, a call's caller). Structural values — ids,
// categories, statuses, amounts, dates, places — stay in the clear so that the record, its statistics
// and its hash chain remain readable after a person is forgotten.
import { ERASED } from '@platform/contracts';

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
  'situation',
  'hardship',
  'findings',
  'treatment',
  'minutes',
  'need',
  // a resident's own signature on a service record
  'signedBy',
]);

/**
 * Properties that hold officers, not residents — these, and any `…By` (decidedBy, recordedBy, …) unless
 * listed as personal: their names stay readable (an erasure must not hide who handled a case).
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

export function isOfficialKey(key: string): boolean {
  return !PERSONAL_KEYS.has(key) && (OFFICIAL_KEYS.has(key) || /^[a-z]+By$/.test(key));
}

/** A resident ID number (GB 11643) anywhere in a personal value: the subject index is built from these. */
const RESIDENT_ID = /(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])/g;
/** A value that is a resident ID number is personal wherever it is (a household id made of the head's). */
const WHOLE_RESIDENT_ID = /^[0-9]{17}[0-9Xx]$/;

/** What an erased value reads as. */
export { ERASED };

/**
 * How a sealed event is stored: each personal value replaced by a placeholder `{ "$p": [i, n] }` — the n-th
 * value sealed with the i-th key — and the values themselves, per key, in one ciphertext each under the
 * event's `$pd`: `[{ "k": key id, "v": nonce‖ciphertext‖tag }]`. One cipher operation per household an
 * event names, not one per value.
 */
export interface SealedEnvelope {
  k: string;
  v: string;
}
export type Placeholder = { $p: [number, number] };

export function isPlaceholder(v: unknown): v is Placeholder {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = (v as { $p?: unknown }).$p;
  return Object.keys(v).length === 1 && Array.isArray(p) && p.length === 2 && p.every(Number.isInteger);
}

/** The sealed values of a stored event, or null when it has none (events from before sealing, most events). */
export function envelopesOf(data: unknown): SealedEnvelope[] | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const pd = (data as { $pd?: unknown }).$pd;
  return Array.isArray(pd) ? (pd as SealedEnvelope[]) : null;
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
 * household's (`keyWithin`) or `streamKey` (`keysToSeal` says which keys, and the ID numbers each names).
 * Arrays under a personal key are sealed element by element (their length stays), objects under one are
 * walked, so that a reader that maps over members still can after an erasure.
 */
export function sealPersonalFields(
  data: unknown,
  streamKey: string,
  seal: (value: string | number, keyId: string) => unknown,
): unknown {
  const walk = (input: unknown, personal: boolean, keyId: string): unknown => {
    const v = asJson(input);
    if (Array.isArray(v)) return v.map((x) => walk(x, personal, keyId));
    if (v !== null && typeof v === 'object') {
      // Only the sealer makes these: one arriving from outside would be opened with a key of its choosing.
      if (isPlaceholder(v) || '$pd' in v) throw new TypeError(FORGED);
      const inner = keyWithin(v, keyId);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v))
        out[k] = isOfficialKey(k) ? x : walk(x, PERSONAL_KEYS.has(k), inner);
      return out;
    }
    if (isPersonalValue(v, personal)) return seal(v as string | number, keyId);
    return v;
  };
  return walk(data, false, streamKey);
}

const FORGED = 'a value shaped like sealed personal data ($p, $pd) cannot be recorded';

/** As JSON would see it (a Date is its ISO text): the sealed copy is what gets stored. */
function asJson(input: unknown): unknown {
  return input !== null &&
    typeof input === 'object' &&
    typeof (input as { toJSON?: unknown }).toJSON === 'function'
    ? (input as { toJSON: () => unknown }).toJSON()
    : input;
}

function isPersonalValue(v: unknown, personal: boolean): boolean {
  return (
    (personal && (typeof v === 'string' || typeof v === 'number')) ||
    (typeof v === 'string' && WHOLE_RESIDENT_ID.test(v))
  );
}

/** The keys `sealPersonalFields` will use for `data` (none when nothing in it is personal). */
export function keysToSeal(data: unknown, streamKey: string): Map<string, Set<string>> {
  // Each key with the resident ID numbers its values will name (indexed as the key is made).
  const keys = new Map<string, Set<string>>();
  const walk = (input: unknown, personal: boolean, keyId: string): void => {
    const v = asJson(input);
    if (Array.isArray(v)) v.forEach((x) => walk(x, personal, keyId));
    else if (v !== null && typeof v === 'object') {
      if (isPlaceholder(v) || '$pd' in v) throw new TypeError(FORGED);
      const inner = keyWithin(v, keyId);
      for (const [k, x] of Object.entries(v)) if (!isOfficialKey(k)) walk(x, PERSONAL_KEYS.has(k), inner);
    } else if (isPersonalValue(v, personal)) {
      let ids = keys.get(keyId);
      if (!ids) keys.set(keyId, (ids = new Set()));
      if (typeof v === 'string') for (const id of residentIdsIn(v)) ids.add(id);
    }
  };
  walk(data, false, streamKey);
  return keys;
}

/**
 * A copy of stored `data` with its placeholders replaced by `values(i)[n]` (`values` gives the opened
 * values of the i-th envelope, or null when its key was erased: then `（已删除）`), without `$pd`.
 */
export function openPersonalFields(data: unknown, values: (i: number) => unknown[] | null): unknown {
  const walk = (v: unknown): unknown => {
    if (isPlaceholder(v)) {
      const [i, n] = v.$p;
      const opened = values(i);
      return opened ? opened[n] : ERASED;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (k !== '$pd') out[k] = walk(x);
      return out;
    }
    return v;
  };
  return walk(data);
}
