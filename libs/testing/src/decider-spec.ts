import type { Decider } from '@platform/event-store';

export type { Decider };

/**
 * given / when / then for deciders, no mocks:
 *   spec(decider).given([events]).when(command).then([events])  or  .thenThrows(ErrorClass)
 */
export function deciderSpec<C, E, S>(decider: Decider<C, E, S>) {
  return {
    given(events: E[]) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: C) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: E[]): void {
              expect(run()).toEqual(expected);
            },
            thenThrows(error: (new (...args: never[]) => Error) | RegExp | string): void {
              expect(run).toThrow(error as never);
            },
            thenState(check: (state: S, events: E[]) => void): void {
              const events = run();
              check(events.reduce(decider.evolve, state), events);
            },
          };
        },
      };
    },
  };
}
