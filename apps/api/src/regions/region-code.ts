import { REGION_LEVEL_LABELS, type RegionLevel } from '../../../../libs/domain';

/**
 * China's 12-digit statistical division codes (统计用区划代码): 2 digits province, 2 city, 2 county,
 * 3 township, 3 village. A province is PP0000000000, a city PPCC00000000, a county PPCCDD000000, a
 * township PPCCDDTTT000, a village PPCCDDTTTVVV. The demo keeps shorter codes (990000, 990100,
 * 990101, 990101001); they compare by their 12-digit form.
 */

export const STATISTICAL_CODE = /^\d{12}$/;

/** The level a 12-digit code names, or null when it is no code of any level. */
export function levelOfCode(code: string): RegionLevel | null {
  if (!STATISTICAL_CODE.test(code) || code.slice(0, 2) === '00') return null;
  if (code.endsWith('0000000000')) return 'province';
  if (code.endsWith('00000000')) return 'city';
  if (code.slice(4, 6) === '00') return null;
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
  if (level === 'province' || level === 'city' || level === 'county') return [code, code.slice(0, 6)];
  if (level === 'township') return [code, code.slice(0, 9)];
  return [code];
}

/** The first six digits of a county's code: every code inside the county starts with them. */
export function countyPrefix(countyCode: string): string | null {
  const full = fullCode(countyCode);
  return full && levelOfCode(full) === 'county' ? full.slice(0, 6) : null;
}

/** The digits every code inside a province (its 2) or a city (its 4) starts with; null for other codes. */
export function upperPrefix(code: string): string | null {
  const full = fullCode(code);
  const level = full ? levelOfCode(full) : null;
  if (level === 'province') return full!.slice(0, 2);
  if (level === 'city') return full!.slice(0, 4);
  return null;
}

const CODE_SHAPES: Partial<Record<RegionLevel, string>> = {
  province: '省级代码为 2 位省码加 10 个 0，如 530000000000',
  city: '市级代码为 4 位数字加 8 个 0，且第 3–4 位不为 00，如 530100000000',
  county: '县级代码为 6 位数字加 6 个 0，且第 5–6 位不为 00，如 530102000000',
};

/**
 * Why a code cannot be a province, city or county under the region of `parentCode` (a province or a
 * city: the code must start with its 2 or 4 digits), in Chinese; null when it can.
 */
export function upperCodeProblem(code: string, level: 'province' | 'city' | 'county', parentCode?: string): string | null {
  if (!STATISTICAL_CODE.test(code)) return `统计用区划代码应为 12 位数字：${code}`;
  const actual = levelOfCode(code);
  if (actual !== level) return `${code} 不是${REGION_LEVEL_LABELS[level]}代码（${CODE_SHAPES[level]}）${actual ? `，而是${REGION_LEVEL_LABELS[actual]}代码` : ''}`;
  if (parentCode === undefined) return null;
  const prefix = upperPrefix(parentCode);
  if (!prefix) return `上级区划的代码 ${parentCode} 不是省级或市级统计用区划代码`;
  if (!code.startsWith(prefix)) return `${code} 不在上级区划（代码 ${fullCode(parentCode)}）内：其下区划的代码以 ${prefix} 开头`;
  return null;
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
