import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One row per coordination item (一事一议): what the list shows and filters on. */
@Entity({ name: 'coordination_items' })
@Index('coordination_items_county', ['countyCode', 'openedAt'])
@Index('coordination_items_township', ['townshipCode', 'openedAt'])
export class CoordinationItemRow {
  @PrimaryColumn({ name: 'item_id', type: 'uuid' })
  itemId: string;

  @Column({ name: 'case_id', type: 'text' })
  caseId: string;

  @Column({ name: 'case_number', type: 'text' })
  caseNumber: string;

  @Column({ type: 'text' })
  need: string;

  @Column({ type: 'text', array: true })
  departments: string[];

  @Column({ name: 'village_code', type: 'text' })
  villageCode: string;

  @Column({ name: 'township_code', type: 'text' })
  townshipCode: string;

  @Column({ name: 'county_code', type: 'text' })
  countyCode: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ name: 'meeting_count', type: 'int' })
  meetingCount: number;

  @Column({ name: 'decision_count', type: 'int' })
  decisionCount: number;

  @Column({ name: 'done_count', type: 'int' })
  doneCount: number;

  @Column({ name: 'overdue_count', type: 'int' })
  overdueCount: number;

  @Column({ name: 'opened_by_name', type: 'text' })
  openedByName: string;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

/** One row per decision of the joint meeting: what the overdue watch scans. */
@Entity({ name: 'coordination_decisions' })
@Index('coordination_decisions_due', ['dueOn'])
export class CoordinationDecisionRow {
  @PrimaryColumn({ name: 'decision_id', type: 'uuid' })
  decisionId: string;

  @Column({ name: 'item_id', type: 'uuid' })
  itemId: string;

  @Column({ name: 'owner_department', type: 'text' })
  ownerDepartment: string;

  @Column({ name: 'due_on', type: 'date' })
  dueOn: string;

  @Column({ type: 'boolean' })
  done: boolean;

  @Column({ name: 'overdue_flagged', type: 'boolean' })
  overdueFlagged: boolean;

  /** False once the item is closed: the watch looks only at open items. */
  @Column({ name: 'item_open', type: 'boolean' })
  itemOpen: boolean;
}
