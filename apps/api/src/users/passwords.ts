import { randomInt } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';
import { normalizeUsername } from '../../../../libs/domain';

/** The password policy (issue 14): at least this many characters. */
export const PASSWORD_MIN_LENGTH = 10;
/** bcrypt reads at most 72 bytes: a longer password would be checked on its first 72 bytes only. */
export const PASSWORD_MAX_BYTES = 72;

/** Letters and digits that cannot be misread on paper or a phone (no 0/O, 1/l/I). */
const ONE_TIME_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
const ONE_TIME_LENGTH = 14;

/** A fresh one-time password, printed or shown once and stored only as a hash. */
export function oneTimePassword(): string {
  let out = '';
  for (let i = 0; i < ONE_TIME_LENGTH; i++) out += ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)];
  return out;
}

export interface PasswordProblem {
  zh: string;
  en: string;
}

/**
 * Why a new password is refused, or null when it passes: at least PASSWORD_MIN_LENGTH characters,
 * at most 72 bytes, not the username (in its one form, so "ZZB_Admin1" is the username zzb_admin1), not
 * a common password (the list of zxcvbn-ts, compared without letter case).
 */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return { zh: `密码至少 ${PASSWORD_MIN_LENGTH} 个字符`, en: `The password has fewer than ${PASSWORD_MIN_LENGTH} characters` };
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) return { zh: `密码过长（最多 ${PASSWORD_MAX_BYTES} 字节，约 24 个汉字）`, en: `The password is longer than ${PASSWORD_MAX_BYTES} bytes` };
  if (normalizeUsername(password) === normalizeUsername(username)) return { zh: '密码不能与用户名相同', en: 'The password is the username' };
  if (commonPasswords().has(password.toLowerCase())) return { zh: '密码过于常见，容易被猜中，请换一个', en: 'The password is a common one' };
  return null;
}

let common: Set<string> | undefined;

/** zxcvbn-ts's list of common passwords (about 49,000, lower case), read once. */
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common']);
  return common;
}
