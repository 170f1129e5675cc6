/** Working days to acknowledge and to decide, per assistance category (configurable policy table). */
export interface DeadlinePolicy {
  acknowledgeDays: number;
  decideDays: number;
}

export const DEFAULT_DEADLINES: Record<string, DeadlinePolicy> = {
  medical: { acknowledgeDays: 1, decideDays: 5 },
  disease_emergency: { acknowledgeDays: 1, decideDays: 2 },
  housing: { acknowledgeDays: 2, decideDays: 15 },
  education: { acknowledgeDays: 2, decideDays: 10 },
  dibao: { acknowledgeDays: 2, decideDays: 20 },
  special_hardship: { acknowledgeDays: 2, decideDays: 20 },
  temporary: { acknowledgeDays: 1, decideDays: 5 },
  disaster_victim: { acknowledgeDays: 1, decideDays: 5 },
  vagrant: { acknowledgeDays: 1, decideDays: 3 },
};

export const FALLBACK_DEADLINE: DeadlinePolicy = { acknowledgeDays: 2, decideDays: 10 };
