// The order Jest runs the suites in. With two workers, a long suite started last runs alone at the end
// while the other worker idles. Jest orders by the last run's durations, but a fresh clone (CI) has none
// and falls back to file size, which puts short files with long runs (the benchmarks' check) last.
// Known long suites go first, longest first; the rest as Jest would order them.
import Sequencer from '@jest/test-sequencer';

const LONG_FIRST = [
  'test/bench-quick.spec.ts',
  'test/faults.spec.ts',
  'test/e2e/referral-flow.e2e.spec.ts',
  'test/e2e/kafka-security.e2e.spec.ts',
  'test/e2e/web-ui-departments.e2e.spec.ts',
  'test/e2e/web-ui-admin.e2e.spec.ts',
  'test/e2e/web-ui-dibao.e2e.spec.ts',
  'test/e2e/web-ui.e2e.spec.ts',
  'test/e2e/administration.e2e.spec.ts',
  'test/e2e/dibao.e2e.spec.ts',
  'test/e2e/verification.e2e.spec.ts',
  'test/e2e/web-ui-public.e2e.spec.ts',
  'libs/messaging/src/messaging.spec.ts',
  'libs/messaging/src/proof.spec.ts',
  'test/e2e/login-throttling.e2e.spec.ts',
  'test/platform.smoke.spec.ts',
];

export default class LongFirstSequencer extends (Sequencer.default ?? Sequencer) {
  sort(tests) {
    const rank = (t) => {
      const i = LONG_FIRST.findIndex((p) => t.path.endsWith(p));
      return i < 0 ? LONG_FIRST.length : i;
    };
    const byJest = super.sort(tests);
    const order = new Map(byJest.map((t, i) => [t, i]));
    return [...byJest].sort((a, b) => rank(a) - rank(b) || order.get(a) - order.get(b));
  }
}
