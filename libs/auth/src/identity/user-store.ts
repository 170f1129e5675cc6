import { DeciderStore, type EventStore, type RecordedEvent } from '@platform/event-store';
import { userDecider, type UserCommand, type UserEvent, type UserState } from '../domain/user.decider.js';

export type UserStore = DeciderStore<UserCommand, UserEvent, UserState>;

export const USER_STREAM_PREFIX = 'user-';

/** Users on the generic command path: stream `user-<id>`; event types already carry `identity.`. */
export function userStore(store: EventStore): UserStore {
  return new DeciderStore({
    store,
    decider: userDecider,
    streamOf: (id) => `${USER_STREAM_PREFIX}${id}`,
    toStored: (e) => ({ type: e.type, data: e.data }),
    fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as UserEvent,
  });
}
