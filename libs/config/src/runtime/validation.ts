import { UnprocessableEntityException, ValidationPipe, type ValidationError } from '@nestjs/common';

function flatten(errors: ValidationError[], prefix = ''): Array<{ field: string; problems: string[] }> {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, problems: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** DTO validation: unknown fields refused, every bad field named, 422 with a JSON body; nothing changes. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
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
