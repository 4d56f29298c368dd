import { registerDecorator, type ValidationOptions } from 'class-validator';
import { CASE_LIMITS, isLocalDate } from '../../../../../../libs/domain';

/**
 * A calendar date 'YYYY-MM-DD' that exists (2026-02-30 does not). The constraint is reported as
 * `isDateString`, so the validation message reads "必须是 ISO 8601 日期" in Chinese.
 */
export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDateString',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a real calendar date in the form YYYY-MM-DD', ...options },
      validator: { validate: (value: unknown) => isLocalDate(value) },
    });
}

/**
 * A string with at least one non-space character: the workflow refuses blank text, so the API does
 * too, naming the field. Reported as `isNotEmpty` ("不能为空").
 */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isNotEmpty',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property should not be empty or blank', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.trim().length > 0 },
    });
}

/**
 * The workflow's limits on text (libs/domain/case/machine.ts; the longest is the case's engineering
 * limit, libs/domain/case/limits.ts), so the API refuses the same input first.
 */
export const TEXT_MAX = {
  long: CASE_LIMITS.textMaxLength,
  personName: 50,
  place: 200,
  title: 200,
  unit: 100,
  owner: 100,
  kind: 100,
  session: 200,
  id: 100,
} as const;

/** Upper bound on amounts in yuan (the workflow's own bound). */
export const MONEY_MAX = 1e12;
