import { ArgumentMetadata, HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
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

/**
 * The class-validator pipe, after a check that every body, query and route parameter is safe to
 * transform and store at all (findUnsafeInput: depth, NUL characters, lone surrogates, reserved
 * keys).
 */
class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'custom') return super.transform(value, metadata);
    const unsafe = findUnsafeInput(value);
    if (unsafe) throw fieldException(unsafe.field || metadata.data || metadata.type, UNSAFE_INPUT_WORDING[unsafe.problem]);
    return super.transform(value, metadata);
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
