/**
 * The one form of a username: how it is stored, looked up at sign-in and counted by the sign-in
 * limit. Compatibility forms fold to their plain letters (NFKC: full-width ｘｊ → xj, ligatures),
 * letter case folds to lower case, surrounding spaces go.
 *
 * Lower-casing a dotted capital I (İ, U+0130) gives i + combining dot (U+0307); the dot is dropped so
 * "İ" is the capital of the account's "i" as a person reading it expects. ẞ folds to ß (and stays
 * apart from "ss"). Because storage, lookup and the lock-out key all use this function, two spellings
 * are the same account exactly when they share one lock-out count; PostgreSQL compares with `=`,
 * never with a case rule of its own.
 */
export function normalizeUsername(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase().replace(/i\u0307/g, 'i').normalize('NFKC');
}
