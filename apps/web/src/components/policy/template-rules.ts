/**
 * A rule of a province's or city's template as the API names it (TEMPLATE_ORDER's `zh`), which carries
 * the field's English name in brackets for the log — "整建队伍最少人数（teamMinSize）不得少于上级模板" —
 * without that name, as the page shows it.
 */
export function ruleWords(zh: string): string {
  return zh.replace(/（[A-Za-z.]+）/g, '');
}
