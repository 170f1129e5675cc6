// Names for what audit records identify by id or code: officers (GET /admin/users/-/names), places and
// cases (GET /oversight/case-labels). Shared by the auditor's and the administrator's screens.
import { useEffect, useState } from 'react';
import { api } from '../api';
import { jurisdictionName, label, LEDGER_DEPARTMENT_NAMES, ROLE_NAMES } from '../labels';

export interface UserName {
  id: string;
  name: string;
  roleName: string;
  jurisdictionName: string;
}

export interface CaseLabel {
  caseId: string;
  caseNumber: string | null;
  villageCode: string | null;
  countyCode: string | null;
  openedAt: string;
}

export interface Names {
  /** False until the lookup has answered: names show as loading, not as unknown. */
  ready?: boolean;
  users: Record<string, UserName>;
  places: Record<string, string>;
  cases: Record<string, CaseLabel>;
}

export interface RecordedActor {
  id: string;
  name?: string;
  role: string;
  department: string;
  jurisdiction: string;
  organisation?: string;
}

const unique = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];

/** Looks up the names of the given officers, places and cases; unknown ones stay out of the maps. */
export async function lookupNames(
  userIds: (string | null | undefined)[],
  codes: (string | null | undefined)[],
  caseIds: (string | null | undefined)[] = [],
): Promise<Names> {
  const ids = unique(userIds).filter((id) => id !== 'system' && !id.startsWith('system:'));
  const cases = unique(caseIds);
  const caseLabels = cases.length
    ? (await api<{ items: CaseLabel[] }>('GET', `/oversight/case-labels?ids=${cases.join(',')}`)).items
    : [];
  const allCodes = unique([...codes, ...caseLabels.map((c) => c.villageCode)]);
  const found =
    ids.length || allCodes.length
      ? await api<{ users: UserName[]; jurisdictions: { code: string; fullName: string }[] }>(
          'GET',
          `/admin/users/-/names?${new URLSearchParams({
            ...(ids.length ? { ids: ids.join(',') } : {}),
            ...(allCodes.length ? { codes: allCodes.join(',') } : {}),
          })}`,
        )
      : { users: [], jurisdictions: [] };
  return {
    ready: true,
    users: Object.fromEntries(found.users.map((u) => [u.id, u])),
    places: Object.fromEntries(
      found.jurisdictions.map((j) => [j.code, j.fullName.replace(/^巴彦淖尔市(?=.)/, '')]),
    ),
    cases: Object.fromEntries(caseLabels.map((c) => [c.caseId, c])),
  };
}

/** Names for the ids and codes of the rows shown, looked up once per set of rows. */
export function useNames(
  userIds: (string | null | undefined)[],
  codes: (string | null | undefined)[],
  caseIds: (string | null | undefined)[] = [],
): Names {
  const [names, setNames] = useState<Names>({ users: {}, places: {}, cases: {} });
  const key = JSON.stringify([unique(userIds).sort(), unique(codes).sort(), unique(caseIds).sort()]);
  useEffect(() => {
    let live = true;
    const [u, c, k] = JSON.parse(key) as string[][];
    if (!u!.length && !c!.length && !k!.length) return;
    setNames((n) => ({ ...n, ready: false }));
    lookupNames(u!, c!, k!)
      .then((n) => live && setNames(n))
      // Names are a courtesy: the rows still show roles, departments and codes.
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}

export const placeName = (names: Names, code: string | null | undefined): string =>
  code ? (names.places[code] ?? jurisdictionName(code)) : '—';

/** An officer as a person reads them: 姓名（角色，辖区）; the platform's own acts as such. */
export function actorName(a: RecordedActor, names: Names): string {
  if (a.id === 'system' || a.id.startsWith('system:'))
    return `平台自动处理（${label(LEDGER_DEPARTMENT_NAMES, a.department)}）`;
  const u = names.users[a.id];
  const role = u?.roleName ?? label(ROLE_NAMES, a.role);
  const place = u?.jurisdictionName.replace(/^巴彦淖尔市(?=.)/, '') || placeName(names, a.jurisdiction);
  return `${u?.name ?? a.name ?? (names.ready ? '（未知用户）' : '…')}（${role}，${place}${a.organisation ? `，${a.organisation}` : ''}）`;
}

/** A case as a person reads it: its number and village. */
export function caseName(names: Names, caseId: string | null | undefined): string {
  if (!caseId) return '—';
  const c = names.cases[caseId];
  if (!c) return names.ready ? '（案件编号待同步）' : '…';
  return `${c.caseNumber ?? ''}${c.villageCode ? `（${placeName(names, c.villageCode)}）` : ''}`;
}
