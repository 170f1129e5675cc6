import { Injectable } from '@nestjs/common';
import { DeciderStore, type EventStore, type RecordedEvent } from '@platform/event-store';
import {
  answerDecider,
  type AnswerCommand,
  type AnswerEvent,
  type AnswerState,
} from '../domain/answer.decider.js';
import type { VerificationAnswerer } from './answerer.port.js';

export type AnswerStore = DeciderStore<AnswerCommand, AnswerEvent, AnswerState>;

export const answerStream = (verificationId: string) => `verification-answer-${verificationId}`;

/** Answers on the generic command path, stored as `<department>.VerificationAnswered`. */
export function answerStore(department: string, store: EventStore): AnswerStore {
  return new DeciderStore({
    store,
    decider: answerDecider(department),
    streamOf: answerStream,
    toStored: (e) => ({ type: `${department}.${e.type}`, data: e.data }),
    fromStored: (e: RecordedEvent) =>
      ({ type: e.type.slice(e.type.indexOf('.') + 1), data: e.data }) as AnswerEvent,
  });
}

export interface VerificationResponder {
  department: string;
  answerer: VerificationAnswerer;
  answers: AnswerStore;
}

/**
 * The departments answering verifications in this process. One handler on the bus serves them all (the
 * embedded process runs every department); each command names its department.
 */
@Injectable()
export class VerificationResponders {
  private readonly responders = new Map<string, VerificationResponder>();

  register(responder: VerificationResponder): void {
    this.responders.set(responder.department, responder);
  }

  get(department: string): VerificationResponder {
    const r = this.responders.get(department);
    if (!r) throw new Error(`No verification responder for department "${department}" in this process`);
    return r;
  }
}
