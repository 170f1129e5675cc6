import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { DomainError } from '@platform/contracts';
import {
  commitPositionScope,
  formatCommitPositions,
  parseCommitPositions,
  readModelPositions,
  type CommitPositions,
} from '@platform/event-store';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';

/** How long a read waits for its read models to apply a position before answering with what they have. */
export const READ_AFTER_TIMEOUT_MS = 5_000;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Read-your-writes. A change answers with `Commit-Position` (where its events committed, per log); a
 * read sent with that value in `Read-After` waits, at most 5 s, until this process's read models of those
 * logs have applied it, so whoever just acted sees their action. A read that waited in vain still
 * answers, with `Read-After-Status: timeout`.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    if (UNSAFE_METHODS.has(req.method)) return from(this.change(res, next));
    const header = req.headers['read-after'];
    if (header === undefined) return next.handle();
    const positions = parseCommitPositions(Array.isArray(header) ? header.join(',') : header);
    if (!positions) {
      throw new DomainError(
        'READ_AFTER_INVALID',
        'Read-After 请求头：应为上一次办理答复中的 Commit-Position 值（如 intake:1234:5678）',
        400,
        { field: 'Read-After' },
      );
    }
    return from(this.read(res, positions, next));
  }

  private async change(res: Response, next: CallHandler): Promise<unknown> {
    const positions: CommitPositions = new Map();
    const result = await commitPositionScope.run(positions, () =>
      lastValueFrom(next.handle(), { defaultValue: undefined }),
    );
    if (positions.size > 0 && !res.headersSent)
      res.setHeader('Commit-Position', formatCommitPositions(positions));
    return result;
  }

  private async read(res: Response, positions: CommitPositions, next: CallHandler): Promise<unknown> {
    const caughtUp = await readModelPositions.waitFor(positions, READ_AFTER_TIMEOUT_MS);
    if (!caughtUp) res.setHeader('Read-After-Status', 'timeout');
    return lastValueFrom(next.handle(), { defaultValue: undefined });
  }
}
