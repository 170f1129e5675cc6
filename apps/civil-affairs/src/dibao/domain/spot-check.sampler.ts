import { createHash } from 'node:crypto';
import { DomainError } from '@platform/contracts';

/**
 * The county's home-visit spot check (入户抽查) of applications the township sends up: at least
 * `percent` % of a county's applications in a month, every staff-relative one. Reproducible: the draw of
 * an application is a hash of its id and the county-month's seed, both recorded, so anyone can redo it.
 *
 * One stream per county and month (`dibao-spot-check-<county>-<yyyymm>`) counts the applications drawn
 * and the ones sampled; an application is sampled when
 *   - it concerns staff or their relatives (100 %), or
 *   - its draw falls under the rate (random), or
 *   - the month's sample would otherwise fall under `percent` % of the applications drawn so far (quota),
 * so at every moment a county's month has at least ⌈percent × n / 100⌉ of its n applications sampled.
 */

export type SampleReason = 'staff_relative' | 'random' | 'quota' | 'not_sampled';

/** A number in [0, 1) from the seed and the application id (first 48 bits of sha256). */
export function drawValue(seed: string, applicationId: string): number {
  const digest = createHash('sha256').update(`${seed}:${applicationId}`).digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** ⌈percent × n / 100⌉ in integers. */
export function quotaOf(percent: number, n: number): number {
  return Math.floor((percent * n + 99) / 100);
}

export interface SampleDecision {
  draw: number;
  sampled: boolean;
  reason: SampleReason;
}

export function drawSample(input: {
  seed: string;
  applicationId: string;
  percent: number;
  /** 1-based position of this application among the county-month's draws. */
  position: number;
  /** Applications sampled before this one in the county-month. */
  sampledBefore: number;
  staffRelative: boolean;
}): SampleDecision {
  const draw = drawValue(input.seed, input.applicationId);
  if (input.staffRelative) return { draw, sampled: true, reason: 'staff_relative' };
  if (draw * 100 < input.percent) return { draw, sampled: true, reason: 'random' };
  if (input.sampledBefore < quotaOf(input.percent, input.position))
    return { draw, sampled: true, reason: 'quota' };
  return { draw, sampled: false, reason: 'not_sampled' };
}

// ---- the county-month's sampling stream ----

export interface SpotCheckDrawn {
  countyCode: string;
  month: string;
  seed: string;
  applicationId: string;
  position: number;
  sampledBefore: number;
  percent: number;
  draw: number;
  sampled: boolean;
  reason: SampleReason;
  rules: string;
  at: string;
}

export type SamplingCommand = {
  type: 'DrawSample';
  countyCode: string;
  /** YYYY-MM (Beijing). */
  month: string;
  applicationId: string;
  staffRelative: boolean;
  /** A fresh random seed, used only when the month has none yet. */
  newSeed: string;
  percent: number;
  rules: string;
  now: string;
};

export type SamplingEvent = { type: 'civil-affairs.DibaoSpotCheckDrawn'; data: SpotCheckDrawn };

export interface SamplingState {
  seed: string | null;
  drawn: SpotCheckDrawn[];
}

export const initialSamplingState = (): SamplingState => ({ seed: null, drawn: [] });

export function decideSampling(command: SamplingCommand, state: SamplingState): SamplingEvent[] {
  switch (command.type) {
    case 'DrawSample': {
      // An application drawn once keeps its draw (e.g. sent up again after an objection).
      if (state.drawn.some((d) => d.applicationId === command.applicationId)) return [];
      const seed = state.seed ?? command.newSeed;
      if (!seed) throw new DomainError('SEED_REQUIRED', '抽查种子缺失', 422);
      const position = state.drawn.length + 1;
      const sampledBefore = state.drawn.filter((d) => d.sampled).length;
      const decision = drawSample({
        seed,
        applicationId: command.applicationId,
        percent: command.percent,
        position,
        sampledBefore,
        staffRelative: command.staffRelative,
      });
      return [
        {
          type: 'civil-affairs.DibaoSpotCheckDrawn',
          data: {
            countyCode: command.countyCode,
            month: command.month,
            seed,
            applicationId: command.applicationId,
            position,
            sampledBefore,
            percent: command.percent,
            ...decision,
            rules: command.rules,
            at: command.now,
          },
        },
      ];
    }
    default: {
      const never: never = command.type;
      throw new Error(`unknown command ${String(never)}`);
    }
  }
}

export function evolveSampling(state: SamplingState, event: SamplingEvent): SamplingState {
  return { seed: state.seed ?? event.data.seed, drawn: [...state.drawn, event.data] };
}

export const samplingDecider = {
  decide: decideSampling,
  evolve: evolveSampling,
  initialState: initialSamplingState,
};

/** The sampling stream's key: county and month. */
export const samplingKey = (countyCode: string, month: string) => `${countyCode}-${month.replace('-', '')}`;
