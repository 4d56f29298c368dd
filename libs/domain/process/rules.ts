/**
 * A process's rules: each with a code, its Chinese and English wording, and where it comes from (a
 * seed section, DOMAIN.md). A refused action names the rule it breaks, so the person knows what to fix.
 */
export interface RuleWording {
  zh: string;
  en: string;
  source: string;
}

export type RuleCatalogue<C extends string = string> = Readonly<Record<C, RuleWording>>;

/** An action refused by a rule of a process; `details` says what exactly (e.g. the unmet conditions). */
export class ProcessRuleViolation<C extends string = string> extends Error {
  constructor(
    catalogue: RuleCatalogue<C>,
    readonly rule: C,
    readonly detailZh?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(`[${rule}] ${catalogue[rule].zh}${detailZh ? `：${detailZh}` : ''} (${catalogue[rule].en})`);
  }
}

export type Refuse<C extends string> = (rule: C, detailZh?: string, details?: Record<string, unknown>) => never;

/**
 * What a refusal carries to the client (an ApplicationFailure's details): the rule, its wording and
 * source, the detail, and the details' fields.
 */
export function violationDetails<C extends string>(catalogue: RuleCatalogue<C>, err: ProcessRuleViolation<C>): Record<string, unknown> {
  const rule = catalogue[err.rule];
  return { rule: err.rule, zh: rule.zh, en: rule.en, source: rule.source, detail: err.detailZh ?? null, ...(err.details ?? {}) };
}
