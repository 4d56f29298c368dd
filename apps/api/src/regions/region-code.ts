import type { RegionLevel } from '../../../../libs/domain';

/**
 * China's 12-digit statistical division codes (统计用区划代码): 2 digits province, 2 city, 2 county,
 * 3 township, 3 village. A county is PPCCDD000000, a township PPCCDDTTT000, a village PPCCDDTTTVVV.
 * The demo county keeps shorter codes (990101, 990101001); they compare by their 12-digit form.
 */

export const STATISTICAL_CODE = /^\d{12}$/;

/** The level a 12-digit code names, or null when it is no county, township or village code. */
export function levelOfCode(code: string): RegionLevel | null {
  if (!STATISTICAL_CODE.test(code)) return null;
  if (code.slice(0, 2) === '00' || code.slice(4, 6) === '00') return null;
  if (code.endsWith('000000')) return 'county';
  if (code.slice(6, 9) === '000') return null;
  return code.endsWith('000') ? 'township' : 'village';
}

/** A stored code in its 12-digit form (the demo's 6- and 9-digit codes padded with zeros), or null. */
export function fullCode(code: string): string | null {
  if (/^\d{6}$/.test(code) || /^\d{9}$/.test(code)) return code.padEnd(12, '0');
  return STATISTICAL_CODE.test(code) ? code : null;
}

/** The forms a region of this 12-digit code may be stored under: itself and its short form. */
export function storedForms(code: string): string[] {
  const level = levelOfCode(code);
  if (level === 'county') return [code, code.slice(0, 6)];
  if (level === 'township') return [code, code.slice(0, 9)];
  return [code];
}

/** The first six digits of a county's code: every code inside the county starts with them. */
export function countyPrefix(countyCode: string): string | null {
  const full = fullCode(countyCode);
  return full && levelOfCode(full) === 'county' ? full.slice(0, 6) : null;
}

/** The 12-digit code of the region directly above: a township's county, a village's township. */
export function parentCodeOf(code: string): string | null {
  const level = levelOfCode(code);
  if (level === 'township') return `${code.slice(0, 6)}000000`;
  if (level === 'village') return `${code.slice(0, 9)}000`;
  return null;
}

/**
 * Why a code cannot be a region of `level` inside the county of `prefix`, in Chinese; null when it can.
 */
export function codeProblem(code: string, level: RegionLevel, prefix: string): string | null {
  if (!STATISTICAL_CODE.test(code)) return `统计用区划代码应为 12 位数字：${code}`;
  const actual = levelOfCode(code);
  if (!actual) return `${code} 不是有效的统计用区划代码（乡镇第 7–9 位、村第 10–12 位不能全为 0）`;
  if (!code.startsWith(prefix)) return `${code} 不在本县（区）内（本县代码以 ${prefix} 开头）`;
  if (actual === 'county') return `${code} 是县（区）代码，只能导入乡镇（街道）和村（社区）`;
  if (actual !== level) {
    return level === 'township'
      ? `${code} 是村（社区）代码，乡镇（街道）代码后 3 位应为 000`
      : `${code} 是乡镇（街道）代码，村（社区）代码后 3 位不能为 000`;
  }
  return null;
}
