import type { JurisdictionLevel } from './jurisdiction.js';

/**
 * The name an officer reads for a division whose published (statistical) name is the committee's:
 * `金河社区居委会` → `金河社区`, `白艮居委会` → `白艮社区`, `迎胜村村民委员会` → `迎胜村`,
 * `东方红村民委员会` → `东方红村`, `三黄宝村村民委会` → `三黄宝村` (sic), `苏独仑嘎查委员会` → `苏独仑嘎查`. Names without such a suffix
 * (`今日社区`, `沙拉毛道嘎查`, `一分场村生活区`) and every level above the village stay as published.
 */
export function displayNameOf(officialName: string, level: JurisdictionLevel): string {
  if (level !== 'village') return officialName;
  const residents = /(社区)?(居民委员会|居民委会|居委会)$/.exec(officialName);
  if (residents) return `${officialName.slice(0, residents.index)}社区`;
  const gacha = /嘎查(村民委员会|村民委会|村委会|委员会)$/.exec(officialName);
  if (gacha) return `${officialName.slice(0, gacha.index)}嘎查`;
  const village = /(村)?(村民委员会|村民委会|村委会)$/.exec(officialName);
  if (village) return `${officialName.slice(0, village.index)}村`;
  return officialName;
}
