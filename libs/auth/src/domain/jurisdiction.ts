export type JurisdictionLevel = 'city' | 'county' | 'township' | 'village';

export interface JurisdictionNode {
  /** 12-digit statistical division code (统计用区划代码). */
  code: string;
  /** The name an officer reads (for villages: without the committee suffix, see division-names.ts). */
  name: string;
  level: JurisdictionLevel;
  parentCode: string | null;
  /** The published statistical name where it differs from `name` (e.g. `迎胜村村民委员会`). */
  officialName?: string;
}

/** The city > county > township > village tree; every officer and every case sits on one node. */
export class JurisdictionTree {
  private readonly nodes = new Map<string, JurisdictionNode>();

  constructor(nodes: JurisdictionNode[]) {
    for (const n of nodes) this.nodes.set(n.code, n);
    for (const n of nodes) {
      if (n.parentCode && !this.nodes.has(n.parentCode)) {
        throw new Error(`Jurisdiction ${n.code} names unknown parent ${n.parentCode}`);
      }
    }
  }

  get(code: string): JurisdictionNode | undefined {
    return this.nodes.get(code);
  }

  has(code: string): boolean {
    return this.nodes.has(code);
  }

  list(level?: JurisdictionLevel): JurisdictionNode[] {
    return [...this.nodes.values()].filter((n) => !level || n.level === level);
  }

  /** The node itself first, then its parent, up to the city. */
  path(code: string): JurisdictionNode[] {
    const out: JurisdictionNode[] = [];
    for (let n = this.nodes.get(code); n; n = n.parentCode ? this.nodes.get(n.parentCode) : undefined)
      out.push(n);
    return out;
  }

  /** True when `code` is `ancestor` or lies below it. */
  contains(ancestor: string, code: string): boolean {
    return this.path(code).some((n) => n.code === ancestor);
  }

  /** The node of a given level on the path from `code` to the city (e.g. the county of a village). */
  at(code: string, level: JurisdictionLevel): JurisdictionNode | undefined {
    return this.path(code).find((n) => n.level === level);
  }

  fullName(code: string): string {
    return this.path(code)
      .reverse()
      .map((n) => n.name)
      .join('');
  }
}
