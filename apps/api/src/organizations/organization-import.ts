import { Workbook, type CellValue as ExcelCellValue } from 'exceljs';
import { ORGANIZATION_DOMAIN_LABELS, ORGANIZATION_DOMAINS, type OrganizationDomain } from '../../../../libs/domain';
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

/** A sheet as lines of cell texts, each with its spreadsheet line number (header = 1). */
interface RawLine {
  line: number;
  cells: string[];
}

export type ImportFileKind = 'xlsx' | 'csv';

/** The kind of an uploaded file, by its name and its first bytes; null when neither CSV nor XLSX. */
export function importFileKind(fileName: string, buffer: Buffer): ImportFileKind | null {
  const ext = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
  const isZip = buffer.length >= 4 && buffer.readUInt32BE(0) === 0x504b0304;
  if (ext === 'xlsx') return isZip ? 'xlsx' : null;
  if (ext === 'csv') return isZip || buffer.includes(0) ? null : 'csv';
  return null;
}

/** Reads the rows of an import file; throws the module's 400s for an unreadable file or a bad header. */
export async function readImportFile(fileName: string, kind: ImportFileKind, buffer: Buffer): Promise<ImportRow[]> {
  let lines: RawLine[];
  try {
    lines = kind === 'csv' ? parseCsv(decodeText(buffer)) : await readXlsx(buffer);
  } catch (e) {
    throw OrganizationException.fileUnreadable(fileName, e instanceof Error ? e.message : String(e));
  }
  const nonBlank = lines.filter((l) => l.cells.some((c) => c.trim() !== ''));
  const header = nonBlank[0];
  if (!header) throw OrganizationException.empty();

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

  const rows = nonBlank.slice(1).map((l) => ({
    line: l.line,
    cells: Object.fromEntries(IMPORT_COLUMNS.map((col) => [col, columnAt.has(col) ? (l.cells[columnAt.get(col)!] ?? '').trim() : ''])) as Record<ImportColumn, string>,
  }));
  if (rows.length === 0) throw OrganizationException.empty();
  return rows;
}

/** UTF-8 (with or without BOM); failing that GB18030, which is what Excel in China saves CSV as. */
function decodeText(buffer: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    text = new TextDecoder('gb18030').decode(buffer);
  }
  return text.replace(/^\uFEFF/, '');
}

/**
 * RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. A record's line is the
 * line it starts on, as a spreadsheet opened on the file would number it (a record = a row).
 */
export function parseCsv(text: string): RawLine[] {
  const out: RawLine[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let record = 1;
  let i = 0;
  const endRecord = () => {
    row.push(field);
    out.push({ line: record, cells: row });
    row = [];
    field = '';
    record += 1;
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
    } else field += ch;
    i += 1;
  }
  if (quoted) throw new Error(`unterminated quoted field in record ${record}`);
  if (field !== '' || row.length > 0) endRecord();
  return out;
}

function cellText(value: ExcelCellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText((value.result ?? null) as ExcelCellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
  }
  return String(value as unknown);
}

/** The first worksheet, each row with its own row number. */
async function readXlsx(buffer: Buffer): Promise<RawLine[]> {
  const wb = new Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0];
  if (!sheet) return [];
  const out: RawLine[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    out.push({ line: rowNumber, cells: Array.from(cells, (c) => c ?? '') });
  });
  return out;
}
