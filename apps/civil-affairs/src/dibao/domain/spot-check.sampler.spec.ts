import { deciderSpec } from '@platform/testing';
import {
  drawSample,
  drawValue,
  quotaOf,
  samplingDecider,
  type SamplingCommand,
  type SamplingEvent,
  type SamplingState,
} from './spot-check.sampler.js';

const spec = deciderSpec<SamplingCommand, SamplingEvent, SamplingState>(samplingDecider);
const id = (n: number) => `0190a4c4-0000-7000-8000-${String(n).padStart(12, '0')}`;
const draw = (
  applicationId: string,
  staffRelative = false,
  newSeed = 'seed-linhe-2026-11',
): SamplingCommand => ({
  type: 'DrawSample',
  countyCode: '150802000000',
  month: '2026-11',
  applicationId,
  staffRelative,
  newSeed,
  percent: 30,
  rules: 'dibao-procedure/1',
  now: '2026-11-20T02:00:00.000Z',
});

/** A county's month of applications drawn one after another. */
function month(count: number, seed: string, staffRelative: (n: number) => boolean = () => false) {
  let state = samplingDecider.initialState();
  for (let n = 1; n <= count; n++) {
    const events = samplingDecider.decide(draw(id(n), staffRelative(n), seed), state);
    state = events.reduce(samplingDecider.evolve, state);
  }
  return state;
}

describe('spot-check sampler', () => {
  it('is reproducible: the same seed and application give the same draw', () => {
    expect(drawValue('seed-a', id(1))).toBe(drawValue('seed-a', id(1)));
    expect(drawValue('seed-a', id(1))).not.toBe(drawValue('seed-b', id(1)));
    const first = month(50, 'seed-a');
    const again = month(50, 'seed-a');
    expect(again.drawn.map((d) => d.sampled)).toEqual(first.drawn.map((d) => d.sampled));
    // Anyone can redo a recorded draw from its seed and the application id.
    for (const d of first.drawn) {
      expect(
        drawSample({
          seed: d.seed,
          applicationId: d.applicationId,
          percent: d.percent,
          position: d.position,
          sampledBefore: d.sampledBefore,
          staffRelative: false,
        }),
      ).toEqual({ draw: d.draw, sampled: d.sampled, reason: d.reason });
    }
  });

  it('samples at least 30% of a county’s month at every moment, whatever the seed', () => {
    for (const seed of ['a', 'b', 'c', 'linhe-2026-11', 'wuyuan-2026-11']) {
      const state = month(200, seed);
      let sampled = 0;
      state.drawn.forEach((d, i) => {
        if (d.sampled) sampled++;
        expect(sampled * 100).toBeGreaterThanOrEqual(30 * (i + 1));
      });
      // …and not everything: the quota only tops up what chance left short.
      expect(sampled).toBeLessThan(200 * 0.5);
    }
    expect(quotaOf(30, 10)).toBe(3);
    expect(quotaOf(30, 11)).toBe(4);
    expect(quotaOf(30, 1)).toBe(1);
  });

  it('samples every staff-relative application', () => {
    const state = month(60, 'seed-s', (n) => n % 4 === 0);
    const relatives = state.drawn.filter((_, i) => (i + 1) % 4 === 0);
    expect(relatives.every((d) => d.sampled && d.reason === 'staff_relative')).toBe(true);
  });

  it('keeps the month’s seed and draws an application once', () => {
    const once = samplingDecider.decide(draw(id(1)), samplingDecider.initialState());
    expect(once[0]!.data).toMatchObject({
      seed: 'seed-linhe-2026-11',
      position: 1,
      sampledBefore: 0,
      sampled: true,
    });
    spec
      .given(once)
      .when(draw(id(1)))
      .then([]);
    spec
      .given(once)
      .when(draw(id(2), false, 'another-seed'))
      .thenState((state) =>
        expect(state.drawn[1]).toMatchObject({ seed: 'seed-linhe-2026-11', position: 2 }),
      );
  });
});
