/** Departments that run a service on the platform. The routing table may also name external ones. */
export const DEPARTMENTS = [
  'intake',
  'civil-affairs',
  'health',
  'housing',
  'education',
  'oversight',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** Publishing departments and their integration topic (one per department; key = case id). */
export const PUBLISHING_DEPARTMENTS = ['intake', 'civil-affairs', 'health', 'housing', 'education'] as const;
export type PublishingDepartment = (typeof PUBLISHING_DEPARTMENTS)[number];

export function topicOf(department: string): string {
  return `${department}.events`;
}

export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}

/** The department's database schema (its own data); an optional prefix isolates test runs. */
export function schemaOf(department: string, prefix?: string): string {
  const base = department.replace(/-/g, '_');
  return prefix ? `${prefix}_${base}` : base;
}

export function cloudEventSourceOf(department: string): string {
  return `/social-assistance/departments/${department}`;
}
