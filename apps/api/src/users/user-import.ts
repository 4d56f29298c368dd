import { CADRE_RANK_LABELS, CADRE_RANKS, USER_ROLE_LABELS, USER_ROLES, type CadreRank, type UserRole } from '../../../../libs/domain';
import { readSpreadsheet, SpreadsheetException, type ImportLimits, type UploadedSpreadsheet } from '../common/spreadsheet-upload';
import { buildWorkbook } from '../exports/xlsx';
import { UserException } from './user.exception';

/** The columns of a people file (人员名单). */
export const USER_COLUMNS = ['name', 'username', 'phone', 'role', 'regionCode', 'title', 'cadreRank'] as const;
export type UserColumn = (typeof USER_COLUMNS)[number];
const REQUIRED: readonly UserColumn[] = ['name', 'username', 'role', 'regionCode'];

export const USER_COLUMN_LABELS: Record<UserColumn, string> = {
  name: '姓名',
  username: '用户名',
  phone: '手机号',
  role: '角色',
  regionCode: '所在区划代码',
  title: '职务',
  cadreRank: '职级',
};

const HEADER_ALIASES: Record<UserColumn, string[]> = {
  name: ['姓名', 'name'],
  username: ['用户名', '登录名', '账号', 'username'],
  phone: ['手机号', '手机', '电话', '联系电话', 'phone', 'mobile'],
  role: ['角色', 'role'],
  regionCode: ['所在区划代码', '区划代码', '统计用区划代码', '所在区划', 'regioncode', 'region_code', 'region'],
  title: ['职务', 'title'],
  cadreRank: ['职级', '是否科级', '科级', 'cadrerank', 'cadre_rank', 'rank'],
};

function normalize(header: string): string {
  return header.replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '').toLowerCase();
}

const HEADER_INDEX = new Map<string, UserColumn>(USER_COLUMNS.flatMap((col) => HEADER_ALIASES[col].map((a) => [normalize(a), col] as [string, UserColumn])));

/** A role given as its code or its Chinese label (乡镇党委书记…). */
export function parseRole(text: string): UserRole | null {
  const t = text.trim();
  return USER_ROLES.find((r) => r === t.toLowerCase() || USER_ROLE_LABELS[r] === t) ?? null;
}

/** A cadre rank: 县处级/科级/科级以下, county/section/staff, or 是/否 for "科级 or not". Blank: undefined. */
export function parseCadreRank(text: string): CadreRank | null | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (t === '是') return 'section';
  if (t === '否') return 'staff';
  return CADRE_RANKS.find((r) => r === t.toLowerCase() || CADRE_RANK_LABELS[r] === t) ?? null;
}

export interface UserImportRow {
  line: number;
  cells: Record<UserColumn, string>;
}

export async function readUserFile(file: UploadedSpreadsheet | undefined, limits: ImportLimits): Promise<UserImportRow[]> {
  const lines = await readSpreadsheet(file, limits);
  const header = lines[0];
  const columnAt = new Map<UserColumn, number>();
  const problems: { line: number; field: string; reason: string }[] = [];
  header.cells.forEach((text, i) => {
    const col = HEADER_INDEX.get(normalize(text));
    if (!col) return;
    if (columnAt.has(col)) problems.push({ line: header.line, field: USER_COLUMN_LABELS[col], reason: `表头重复：${text.trim()}` });
    else columnAt.set(col, i);
  });
  for (const col of REQUIRED) {
    if (!columnAt.has(col)) problems.push({ line: header.line, field: USER_COLUMN_LABELS[col], reason: `缺少“${USER_COLUMN_LABELS[col]}”列（表头可用中文或英文：${HEADER_ALIASES[col].join('、')}）` });
  }
  if (problems.length > 0) throw UserException.importInvalid(0, problems, problems.length);
  const rows = lines.slice(1).map((l) => ({
    line: l.line,
    cells: Object.fromEntries(USER_COLUMNS.map((col) => [col, columnAt.has(col) ? (l.cells[columnAt.get(col)!] ?? '').trim() : ''])) as Record<UserColumn, string>,
  }));
  if (rows.length === 0) throw SpreadsheetException.empty();
  return rows;
}

/** The template: the header and two example rows (a township secretary, a team leader of 科级). */
export function userTemplate(): Promise<Buffer> {
  const rows: Record<UserColumn, string>[] = [
    { name: '张建国', username: 'hefeng_zhang', phone: '13800138000', role: '乡镇党委书记', regionCode: '990101001000', title: '禾丰镇党委书记', cadreRank: '科级' },
    { name: '李志强', username: 'hefeng_li', phone: '', role: '整建队伍队长', regionCode: '990101001004', title: '县农业农村局副局长', cadreRank: '科级' },
  ];
  return buildWorkbook('人员', USER_COLUMNS.map((col) => ({ header: USER_COLUMN_LABELS[col], value: (r: Record<UserColumn, string>) => r[col] })), rows);
}
