import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isLocalDate } from '../../../../../libs/domain';

/**
 * A calendar date 'YYYY-MM-DD' (Asia/Shanghai, as a person in China reads it) that exists. Reported
 * under the constraint name `isDateString`, so the global pipe words it in Chinese as an ISO 8601 date.
 */
export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isDateString',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `${String(propertyName)} must be a date YYYY-MM-DD`, ...options },
      validator: { validate: (value: unknown) => isLocalDate(value) },
    });
  };
}
