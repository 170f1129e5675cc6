import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError } from '@platform/contracts';
import type { Response } from 'express';

const ERROR_NAMES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** One place maps errors to JSON: domain rules, version conflicts, validation, and the unexpected. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.toResponse(exception);
    if (status >= 500)
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    res.status(status).json({ statusCode: status, error: ERROR_NAMES[status] ?? 'Error', ...body });
  }

  private toResponse(e: unknown): { status: number; body: Record<string, unknown> } {
    if (e instanceof DomainError) {
      return { status: e.status, body: { code: e.code, message: e.message, ...e.details } };
    }
    const named = e as {
      name?: string;
      code?: string;
      streamId?: string;
      actual?: number;
      expected?: string;
    };
    if (named?.name === 'StreamVersionConflict') {
      return {
        status: 409,
        body: {
          code: 'STREAM_VERSION_CONFLICT',
          message: '数据已被他人修改，请刷新后重试',
          stream: named.streamId,
          expectedVersion: named.expected,
          actualVersion: named.actual,
        },
      };
    }
    if (e instanceof HttpException) {
      const status = e.getStatus();
      const r = e.getResponse();
      const body: Record<string, unknown> =
        typeof r === 'string' ? { message: r } : { ...(r as Record<string, unknown>) };
      delete body.statusCode;
      delete body.error;
      if (status === 429 && !body.code)
        Object.assign(body, { code: 'RATE_LIMITED', message: '请求过于频繁，请稍后再试' });
      if (status === 404 && !body.code) Object.assign(body, { code: 'NOT_FOUND' });
      return { status, body };
    }
    return { status: 500, body: { code: 'INTERNAL', message: '服务器内部错误，请稍后重试' } };
  }
}
