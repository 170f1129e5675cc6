/**
 * A department's answer to one household verification, stream `verification-answer-<verificationId>` in
 * the department's own log: answered once (a redelivered request changes nothing). Pure.
 */
export interface AnswerState {
  answered: boolean;
}

export interface AnswerCommand {
  type: 'Answer';
  verificationId: string;
  /** What `answerVerification` of the department returned (already shaped by its contract). */
  answer: unknown;
  now: string;
}

export interface AnswerEvent {
  type: 'VerificationAnswered';
  data: { verificationId: string; department: string; answer: unknown; at: string };
}

export function answerDecider(department: string) {
  return {
    initialState: (): AnswerState => ({ answered: false }),
    decide: (command: AnswerCommand, state: AnswerState): AnswerEvent[] =>
      state.answered
        ? []
        : [
            {
              type: 'VerificationAnswered',
              data: {
                verificationId: command.verificationId,
                department,
                answer: command.answer,
                at: command.now,
              },
            },
          ],
    evolve: (state: AnswerState, event: AnswerEvent): AnswerState =>
      event.type === 'VerificationAnswered' ? { answered: true } : state,
  };
}
