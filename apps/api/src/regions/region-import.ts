import { readSpreadsheet, SpreadsheetException, type ImportLimits, type UploadedSpreadsheet } from '../common/spreadsheet-upload';
import { buildWorkbook } from '../exports/xlsx';
import { RegionException } from './region.exception';

/** The columns of a division list (统计用区划代码表). */
export const REGION_COLUMNS = ['code', 'name', 'level'] as const;
export type RegionColumn = (typeof REGION_COLUMNS)[number];

export const REGION_COLUMN_LABELS: Record<RegionColumn, string> = { code: '统计用区划代码', name: '名称', level: '级别' };

const HEADER_ALIASES: Record<RegionColumn, string[]> = {
  code: ['统计用区划代码', '区划代码', '代码', '编码', 'code', 'divisioncode'],
  name: ['名称', '区划名称', 'name'],
  level: ['级别', '层级', '类型', 'level'],
};

/** Full-width parentheses to half-width, no spaces, lower case: headers compare loosely. */
function normalize(header: string): string {
  return header.replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '').toLowerCase();
}

const HEADER_INDEX = new Map<string, RegionColumn>(REGION_COLUMNS.flatMap((col) => HEADER_ALIASES[col].map((a) => [normalize(a), col] as [string, RegionColumn])));

const LEVEL_WORDS: Record<string, 'township' | 'village'> = {
  乡镇: 'township',
  街道: 'township',
  乡: 'township',
  镇: 'township',
  '乡镇(街道)': 'township',
  township: 'township',
  street: 'township',
  村: 'village',
  社区: 'village',
  '村(社区)': 'village',
  village: 'village',
  community: 'village',
};

/** A level as a file gives it: 乡镇/街道/township/street or 村/社区/village/community; null otherwise. */
export function parseRegionLevel(text: string): 'township' | 'village' | null {
  return LEVEL_WORDS[normalize(text)] ?? null;
}

export interface RegionImportRow {
  line: number;
  cells: Record<RegionColumn, string>;
}

/** The rows of a division list under the import caps; the shared 400/413s for the file, 400 for a bad header. */
export async function readRegionFile(file: UploadedSpreadsheet | undefined, limits: ImportLimits): Promise<RegionImportRow[]> {
  const lines = await readSpreadsheet(file, limits);
  const header = lines[0];
  const columnAt = new Map<RegionColumn, number>();
  const problems: { line: number; field: string; reason: string }[] = [];
  header.cells.forEach((text, i) => {
    const col = HEADER_INDEX.get(normalize(text));
    if (!col) return;
    if (columnAt.has(col)) problems.push({ line: header.line, field: REGION_COLUMN_LABELS[col], reason: `表头重复：${text.trim()}` });
    else columnAt.set(col, i);
  });
  for (const col of REGION_COLUMNS) {
    if (!columnAt.has(col)) problems.push({ line: header.line, field: REGION_COLUMN_LABELS[col], reason: `缺少“${REGION_COLUMN_LABELS[col]}”列（表头可用中文或英文：${HEADER_ALIASES[col].join('、')}）` });
  }
  if (problems.length > 0) throw RegionException.importInvalid(0, problems, problems.length);
  const rows = lines.slice(1).map((l) => ({
    line: l.line,
    cells: Object.fromEntries(REGION_COLUMNS.map((col) => [col, (l.cells[columnAt.get(col)!] ?? '').trim()])) as Record<RegionColumn, string>,
  }));
  if (rows.length === 0) throw SpreadsheetException.empty();
  return rows;
}

/** The template to download: the header and two example rows (a township and one of its villages). */
export function regionTemplate(): Promise<Buffer> {
  const rows = [
    { code: '990101001000', name: '禾丰镇', level: '乡镇' },
    { code: '990101001001', name: '禾丰村', level: '村' },
  ];
  return buildWorkbook(
    '区划',
    REGION_COLUMNS.map((col) => ({ header: REGION_COLUMN_LABELS[col], value: (r: (typeof rows)[number]) => r[col] })),
    rows,
  );
}
