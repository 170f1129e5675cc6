import { Inject } from '@nestjs/common';
import { Command } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import type { DibaoCommand, DibaoState } from '../../domain/dibao-application.decider.js';
import { applicationFor, DIBAO, type DibaoContext } from '../dibao-context.js';

/** An officer's step on an application of their jurisdiction. */
export abstract class DibaoOfficerCommand extends Command<DibaoState> {
  abstract readonly permission: string;

  constructor(
    readonly applicationId: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

/**
 * Visible to the officer (404 / 403 otherwise) → what the step needs from outside (registry, calendar)
 * → decide on the current state → append: the same for every officer step. The decision is rebuilt on
 * the fresh state after a version conflict.
 */
export abstract class DibaoOfficerHandler<C extends DibaoOfficerCommand, P = undefined> {
  constructor(@Inject(DIBAO) protected readonly ctx: DibaoContext) {}

  /** What the decision needs that is not in the state (asynchronous lookups), gathered once. */
  protected prepare(_command: C, _state: DibaoState): Promise<P> {
    return Promise.resolve(undefined as P);
  }

  protected abstract decision(command: C, state: DibaoState, now: Date, prepared: P): DibaoCommand;

  async execute(command: C): Promise<DibaoState> {
    const known = await applicationFor(this.ctx, command.actor, command.applicationId, command.permission);
    const prepared = await this.prepare(command, known.state);
    const now = this.ctx.now();
    const { state } = await this.ctx.applications.handle(
      command.applicationId,
      (s) => this.decision(command, s, now, prepared),
      { metadata: eventMetadata(command.actor, { now }), known },
    );
    return state;
  }
}
