import type { PolicyTables } from '@platform/policy';

/** What the policy handlers work on. */
export interface PolicyContext {
  tables: PolicyTables;
  now: () => Date;
}

export const POLICY = Symbol('POLICY');
