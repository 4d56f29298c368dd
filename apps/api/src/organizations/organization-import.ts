import { ORGANIZATION_DOMAIN_LABELS, ORGANIZATION_DOMAINS, type OrganizationDomain } from '../../../../libs/domain';
import { readSpreadsheet, SpreadsheetException, type ImportLimits, type UploadedSpreadsheet } from '../common/spreadsheet-upload';
import { buildWorkbook } from '../exports/xlsx';
import { OrganizationException } from './organization.exception';

/** The columns of an import file. */
export const IMPORT_COLUMNS = ['code', 'name', 'domain', 'regionCode', 'secretaryName'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** The Chinese header of each column, as the template and the error report name it. */
export const IMPORT_COLUMN_LABELS: Record<ImportColumn, string> = {
  code: '编码',
  name: '名称',
  domain: '类型',
  regionCode: '所在村（社区）或乡镇编码',
  secretaryName: '书记',
};

/** The template the 党组织 page offers: the Chinese headers and two example rows (a village's, an agency's). */
export function organizationTemplate(): Promise<Buffer> {
  const rows: Record<ImportColumn, string>[] = [
    { code: 'ORG-001', name: '中共禾丰村支部委员会', domain: ORGANIZATION_DOMAIN_LABELS.village, regionCode: '990101001001', secretaryName: '张三' },
    { code: 'ORG-002', name: '中共禾丰镇卫生院支部委员会', domain: ORGANIZATION_DOMAIN_LABELS.agency, regionCode: '990101001000', secretaryName: '' },
  ];
  return buildWorkbook(
    '党组织',
    IMPORT_COLUMNS.map((col) => ({ header: IMPORT_COLUMN_LABELS[col], value: (r: (typeof rows)[number]) => r[col] })),
    rows,
  );
}

/** Header texts accepted for each column (compared after normalize()). */
const HEADER_ALIASES: Record<ImportColumn, string[]> = {
  code: ['编码', '组织编码', '党组织编码', 'code'],
  name: ['名称', '组织名称', '党组织名称', 'name'],
  domain: ['类型', '组织类型', '领域', 'domain'],
  regionCode: ['所在村（社区）或乡镇编码', '所在村(社区)或乡镇编码', '所在地编码', '区划编码', 'regioncode', 'region_code', 'region'],
  secretaryName: ['书记', '书记姓名', '党组织书记', '现任书记', 'secretaryname', 'secretary_name', 'secretary'],
};

/** Full-width parentheses to half-width, no spaces, lower case: headers compare loosely. */
function normalize(header: string): string {
  return header.replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '').toLowerCase();
}

const HEADER_INDEX = new Map<string, ImportColumn>(
  IMPORT_COLUMNS.flatMap((col) => HEADER_ALIASES[col].map((alias) => [normalize(alias), col] as [string, ImportColumn])),
);

/** A domain given as its code (any case) or its Chinese label. */
export function parseDomain(text: string): OrganizationDomain | null {
  const t = text.trim();
  const byCode = ORGANIZATION_DOMAINS.find((d) => d === t.toLowerCase());
  if (byCode) return byCode;
  return ORGANIZATION_DOMAINS.find((d) => ORGANIZATION_DOMAIN_LABELS[d] === t) ?? null;
}

/** One data row of the file: its spreadsheet line and its cells by column (trimmed, '' when blank). */
export interface ImportRow {
  line: number;
  cells: Record<ImportColumn, string>;
}

/**
 * Reads the rows of an import file under the import caps (see common/spreadsheet-upload); throws the
 * shared 400/413s for the file and the module's 400 for a bad header.
 */
export async function readImportFile(file: UploadedSpreadsheet | undefined, limits: ImportLimits): Promise<ImportRow[]> {
  const lines = await readSpreadsheet(file, limits);
  const header = lines[0];

  const columnAt = new Map<ImportColumn, number>();
  const problems: { line: number; field: string; reason: string }[] = [];
  header.cells.forEach((text, i) => {
    const col = HEADER_INDEX.get(normalize(text));
    if (!col) return; // other columns are ignored
    if (columnAt.has(col)) problems.push({ line: header.line, field: IMPORT_COLUMN_LABELS[col], reason: `表头重复：${text.trim()}` });
    else columnAt.set(col, i);
  });
  for (const col of ['code', 'name', 'domain', 'regionCode'] as const) {
    if (!columnAt.has(col)) problems.push({ line: header.line, field: IMPORT_COLUMN_LABELS[col], reason: `缺少“${IMPORT_COLUMN_LABELS[col]}”列（表头可用中文或英文：${HEADER_ALIASES[col].join('、')}）` });
  }
  if (problems.length > 0) throw OrganizationException.importInvalid(0, problems);

  const rows = lines.slice(1).map((l) => ({
    line: l.line,
    cells: Object.fromEntries(IMPORT_COLUMNS.map((col) => [col, columnAt.has(col) ? (l.cells[columnAt.get(col)!] ?? '').trim() : ''])) as Record<ImportColumn, string>,
  }));
  if (rows.length === 0) throw SpreadsheetException.empty();
  return rows;
}
