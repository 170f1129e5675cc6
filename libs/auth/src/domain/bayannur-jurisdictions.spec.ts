import { BAYANNUR_DIVISIONS } from '../data/bayannur-divisions.data.js';
import { bayannurJurisdictions } from './bayannur-jurisdictions.js';
import { displayNameOf } from './division-names.js';
import { JurisdictionTree } from './jurisdiction.js';
import { levelOfCode } from './jurisdiction-import.js';

describe('the jurisdiction tree of 巴彦淖尔市 from the national division codes', () => {
  const nodes = bayannurJurisdictions();
  const tree = new JurisdictionTree(nodes);

  it('has the city, its 7 districts and banners, 89 township-level units and 956 villages', () => {
    expect(tree.list('city').map((n) => [n.code, n.name])).toEqual([['150800000000', '巴彦淖尔市']]);
    expect(tree.list('county').map((n) => [n.code, n.name])).toEqual([
      ['150802000000', '临河区'],
      ['150821000000', '五原县'],
      ['150822000000', '磴口县'],
      ['150823000000', '乌拉特前旗'],
      ['150824000000', '乌拉特中旗'],
      ['150825000000', '乌拉特后旗'],
      ['150826000000', '杭锦后旗'],
    ]);
    expect(tree.list('township')).toHaveLength(89);
    expect(tree.list('village')).toHaveLength(956);
    expect(nodes).toHaveLength(1 + 7 + 89 + 956);
  });

  it('has unique 12-digit codes whose shape matches their level, each under an existing parent one level up', () => {
    expect(new Set(nodes.map((n) => n.code)).size).toBe(nodes.length);
    const up = { city: null, county: 'city', township: 'county', village: 'township' } as const;
    for (const n of nodes) {
      expect({ code: n.code, level: levelOfCode(n.code) }).toEqual({ code: n.code, level: n.level });
      if (n.parentCode === null) {
        expect(n.level).toBe('city');
        continue;
      }
      const parent = tree.get(n.parentCode);
      expect({ code: n.code, parent: parent?.level }).toEqual({ code: n.code, parent: up[n.level] });
      // The parent's own digits begin the code: city 4, county 6, township 9.
      const own = { county: 4, township: 6, village: 9 }[n.level as 'county' | 'township' | 'village'];
      expect(n.code.slice(0, own)).toBe(n.parentCode.slice(0, own));
    }
  });

  it('places villages where the statistics do', () => {
    expect(tree.fullName('150802104000')).toBe('巴彦淖尔市临河区双河镇');
    expect(tree.at('150821100000', 'county')!.name).toBe('五原县');
    for (const v of tree.list('village')) expect(tree.at(v.code, 'city')!.code).toBe('150800000000');
  });

  it('keeps the published names and derives the names officers read without committee suffixes', () => {
    for (const [code, official, level] of BAYANNUR_DIVISIONS) {
      const node = tree.get(code)!;
      expect(node.officialName ?? node.name).toBe(official);
      if (level === 'village') expect(node.name).not.toMatch(/委员会$|委会$/);
    }
    expect(displayNameOf('金河社区居委会', 'village')).toBe('金河社区');
    expect(displayNameOf('白艮居委会', 'village')).toBe('白艮社区');
    expect(displayNameOf('振兴社区居民委员会', 'village')).toBe('振兴社区');
    expect(displayNameOf('迎胜村村民委员会', 'village')).toBe('迎胜村');
    expect(displayNameOf('东方红村民委员会', 'village')).toBe('东方红村');
    expect(displayNameOf('九分场村委会', 'village')).toBe('九分场村');
    expect(displayNameOf('苏独仑嘎查委员会', 'village')).toBe('苏独仑嘎查');
    expect(displayNameOf('今日社区', 'village')).toBe('今日社区');
    expect(displayNameOf('一分场村生活区', 'village')).toBe('一分场村生活区');
    expect(displayNameOf('双河镇', 'township')).toBe('双河镇');
  });
});
