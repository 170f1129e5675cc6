import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedActor } from '../tokens.js';
import { UserDirectory } from './user-directory.js';

/** Jurisdiction scoping: an officer acts on and sees only what lies in their node of the tree. */
@Injectable()
export class Authorizer {
  constructor(@Inject(UserDirectory) private readonly directory: UserDirectory) {}

  get tree() {
    return this.directory.jurisdictions;
  }

  within(actor: AuthenticatedActor, code: string): boolean {
    return this.directory.jurisdictions.contains(actor.jurisdiction, code);
  }

  /** 403 naming the permission when `code` lies outside the actor's jurisdiction. */
  assertWithin(actor: AuthenticatedActor, code: string, permission: string): void {
    if (!this.within(actor, code)) {
      throw new ForbiddenException({
        code: 'OUT_OF_JURISDICTION',
        permission,
        message: `无权执行此操作（${permission}）：${this.tree.fullName(code) || code} 不在您的辖区（${this.tree.fullName(actor.jurisdiction) || actor.jurisdiction}）内`,
      });
    }
  }
}
