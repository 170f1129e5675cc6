import {
  UnprocessableEntityException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { nulFields } from './input-bounds.js';

function flatten(errors: ValidationError[], prefix = ''): Array<{ field: string; problems: string[] }> {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** No text field may hold a NUL character (PostgreSQL refuses it in text: a 500 otherwise). */
class PlatformValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const bad = nulFields(value);
    if (bad.length > 0) {
      const fields = bad.map((field) => ({ field, problems: ['不能包含 NUL 字符'] }));
      throw new UnprocessableEntityException({
        code: 'VALIDATION_FAILED',
        message: `请求数据有误：${bad.map((f) => `${f}（不能包含 NUL 字符）`).join('，')}`,
        fields,
      });
    }
    return super.transform(value, metadata);
  }
}

/** DTO validation: unknown fields refused, every bad field named, 422 with a JSON body; nothing changes. */
export function validationPipe(): ValidationPipe {
  return new PlatformValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new UnprocessableEntityException({
        code: 'VALIDATION_FAILED',
        message: `请求数据有误：${fields.map((f) => `${f.field}（${f.problems.join('；')}）`).join('，')}`,
        fields,
      });
    },
  });
}
