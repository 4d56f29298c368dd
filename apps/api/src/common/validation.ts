import { ArgumentMetadata, HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { DESIGNATION_EVIDENCE_MIN_LENGTH } from '../../../../libs/domain';
import { ApiException, CommonErrorCode } from './api.exception';
import { fieldLabel } from './field-labels';
import { findUnsafeInput, UNSAFE_INPUT_WORDING } from './unsafe-input';

/** Chinese wording of class-validator's constraints; the English constraint text rides alongside. */
const CONSTRAINT_ZH: Record<string, string> = {
  isUuid: '必须是有效的 UUID',
  isInt: '必须是整数',
  min: '小于允许的最小值',
  max: '大于允许的最大值',
  isArray: '必须是数组',
  arrayNotEmpty: '不能为空',
  arrayUnique: '不能有重复项',
  arrayMaxSize: '项数过多',
  isIn: '取值不在允许范围内',
  isString: '必须是字符串',
  maxLength: '过长',
  minLength: '过短',
  isNotEmpty: '不能为空',
  whitelistValidation: '是不允许的字段',
  isDateString: '必须是 ISO 8601 日期',
  isEnum: '取值不在允许范围内',
  matches: '格式不正确',
  isBoolean: '必须是 true 或 false',
  isObject: '必须是对象',
  isNumber: '必须是数字',
  isPositive: '必须是正数',
  arrayMinSize: '项数过少',
  isNotEmptyObject: '不能为空',
  isDesignationEvidence: `须书面写明认定依据，不少于${DESIGNATION_EVIDENCE_MIN_LENGTH}个字`,
};

export interface FieldProblem {
  field: string;
  label: string;
  problems: { constraint: string; zh: string; en: string }[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own: FieldProblem[] = e.constraints
      ? [
          {
            field,
            label: fieldLabel(e.property),
            problems: Object.entries(e.constraints).map(([constraint, en]) => ({
              constraint,
              zh: CONSTRAINT_ZH[constraint] ?? '无效',
              en,
            })),
          },
        ]
      : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

export function validationException(errors: ValidationError[]): ApiException {
  const fields = flatten(errors);
  const zh = fields.map((f) => `${f.label}${f.problems.map((p) => p.zh).join('，')}`).join('；');
  const en = fields.map((f) => f.problems.map((p) => p.en).join('; ')).join('; ');
  return new ApiException(HttpStatus.BAD_REQUEST, CommonErrorCode.ValidationFailed, `请求参数有误：${zh}`, `Invalid request: ${en}`, {
    fields,
  });
}

/** 400 VALIDATION_FAILED about one field, worded as the pipe words class-validator's errors. */
function fieldException(field: string, problem: { constraint: string; zh: string; en: string }): ApiException {
  const label = fieldLabel(field.split('.').pop() as string);
  return new ApiException(HttpStatus.BAD_REQUEST, CommonErrorCode.ValidationFailed, `请求参数有误：${label}${problem.zh}`, `Invalid request: ${field} ${problem.en}`, {
    fields: [{ field, label, problems: [problem] }] satisfies FieldProblem[],
  });
}

/** A DTO class (a constructor), as class-validator keys its metadata. */
type DtoClass = abstract new (...args: never[]) => unknown;

const maxLengthsByClass = new WeakMap<DtoClass, ValidationMetadata[]>();

/**
 * The @MaxLength constraints of a DTO class, its parents' included. Decorators register them when the class is
 * defined, so they are read once per class: class-validator's look-up scans every class's metadata each time.
 */
function maxLengthsOf(ctor: DtoClass): ValidationMetadata[] {
  let limits = maxLengthsByClass.get(ctor);
  if (!limits) {
    limits = getMetadataStorage()
      .getTargetValidationMetadatas(ctor, '', true, false)
      .filter((m) => m.name === 'maxLength');
    maxLengthsByClass.set(ctor, limits);
  }
  return limits;
}

/**
 * @MaxLength as PostgreSQL counts: class-validator's length check does not count variation
 * selectors (U+FE0E, U+FE0F: "❤️" is one character to it, two to PostgreSQL), so a text of the
 * documented length could still overflow its varchar(n) column and fail with 500. Every maxLength
 * constraint of the validated DTO and its nested DTOs is checked again in code points.
 */
function codePointLengthProblem(value: unknown, prefix = ''): ReturnType<typeof fieldException> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = codePointLengthProblem(value[i], prefix ? `${prefix}.${i}` : String(i));
      if (problem) return problem;
    }
    return undefined;
  }
  const ctor = (value as object).constructor;
  if (ctor && ctor !== Object) {
    for (const m of maxLengthsOf(ctor as DtoClass)) {
      const max = Number(m.constraints?.[0]);
      const own = (value as Record<string, unknown>)[m.propertyName];
      for (const text of m.each && Array.isArray(own) ? own : [own]) {
        if (typeof text === 'string' && [...text].length > max) {
          const field = prefix ? `${prefix}.${m.propertyName}` : m.propertyName;
          return fieldException(field, { constraint: 'maxLength', zh: CONSTRAINT_ZH.maxLength, en: `${m.propertyName} must be shorter than or equal to ${max} characters` });
        }
      }
    }
  }
  for (const [key, child] of Object.entries(value)) {
    const problem = codePointLengthProblem(child, prefix ? `${prefix}.${key}` : key);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * The class-validator pipe, after a check that every body, query and route parameter is safe to
 * transform and store at all (findUnsafeInput: depth, NUL characters, lone surrogates, reserved
 * keys), and before the handler, lengths as PostgreSQL counts them.
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return super.transform(value, metadata);
    const unsafe = findUnsafeInput(value);
    if (unsafe) throw fieldException(unsafe.field || metadata.data || metadata.type, UNSAFE_INPUT_WORDING[unsafe.problem]);
    const transformed = await super.transform(value, metadata);
    const tooLong = codePointLengthProblem(transformed);
    if (tooLong) throw tooLong;
    return transformed;
  }
}

/** The global pipe: strips nothing silently — unknown fields are refused, types are converted. */
export function createValidationPipe(): ValidationPipe {
  return new ApiValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: validationException,
  });
}
