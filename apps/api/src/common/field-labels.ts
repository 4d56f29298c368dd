/** Chinese names of request fields, so every validation message names the field in both languages. */
export const FIELD_LABELS: Record<string, string> = {
  organizationId: '基层党组织',
  batchYear: '整顿批次年度',
  reasons: '认定原因',
  note: '认定依据',
  designatedBy: '认定人',
  townshipId: '乡镇（街道）',
  countyId: '县（区）',
  q: '查询关键字',
  limit: '每页条数',
  offset: '偏移量',
};

export function fieldLabel(property: string): string {
  const zh = FIELD_LABELS[property];
  return zh ? `${zh}（${property}）` : property;
}
