import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { validateResidentId } from '../domain/resident-id.js';

/** DTO check: a valid 18-character resident ID (GB 11643-1999); the message says what is wrong. */
export function IsResidentId(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isResidentId',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && validateResidentId(value, new Date()).valid,
        defaultMessage: (args: ValidationArguments) => {
          const r = typeof args.value === 'string' ? validateResidentId(args.value, new Date()) : null;
          return r && !r.valid ? r.reason : '身份证号码必须是18位字符串';
        },
      },
    });
}
