import { BAYANNUR_DIVISIONS } from '../data/bayannur-divisions.data.js';
import { displayNameOf } from './division-names.js';
import type { JurisdictionNode } from './jurisdiction.js';

export { BAYANNUR_DIVISIONS_SOURCE } from '../data/bayannur-divisions.data.js';

/** 巴彦淖尔市 from the national statistical division codes, to village level (data/bayannur-divisions.data.ts). */
export function bayannurJurisdictions(): JurisdictionNode[] {
  return BAYANNUR_DIVISIONS.map(([code, officialName, level, parentCode]) => {
    const name = displayNameOf(officialName, level);
    return { code, name, level, parentCode, ...(name !== officialName ? { officialName } : {}) };
  });
}
