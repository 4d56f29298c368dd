import { LRUCache } from 'lru-cache';

/** The claims of a token we issued (AuthService.session). */
export interface TokenClaims {
  sub?: unknown;
  exp?: unknown;
  nbf?: unknown;
  sv?: unknown;
}

/** Tokens remembered at most: one per person signed in at once, with room to spare (about 12 MB when full). */
export const VERIFIED_TOKENS_MAX = 20_000;

/**
 * Tokens whose signature has already been checked, with their claims, until they expire. Every request
 * checks its token (about a twentieth of the API's CPU on the township task list, an HMAC and two base64
 * decodes each time), and a person sends the same token for hours; the same token with the same secret
 * can only verify the same way, so the answer is kept. Expiry is still checked on every use, by
 * jsonwebtoken's own rule and error (a token past its `exp` goes back to `verify`, which refuses it); a
 * token with a not-before time is not kept. Only verified tokens are kept, so what a stranger sends never
 * fills it. Sign-out, a password change and deactivation are checked against the user's row per request
 * (AuthService.signedIn), not here.
 */
export class VerifiedTokens {
  private readonly verified: LRUCache<string, Readonly<TokenClaims>>;

  constructor(
    private readonly verify: (token: string) => Promise<TokenClaims>,
    max = VERIFIED_TOKENS_MAX,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.verified = new LRUCache({ max });
  }

  /** The token's claims; rejects as `verify` does for a token it refuses (expired included). */
  async claims(token: string): Promise<Readonly<TokenClaims>> {
    const known = this.verified.get(token);
    if (known && this.unexpired(known)) return known;
    if (known) this.verified.delete(token);
    const claims = Object.freeze(await this.verify(token));
    if (claims.nbf === undefined && this.unexpired(claims)) this.verified.set(token, claims);
    return claims;
  }

  /** jsonwebtoken's test: valid while the current second is before `exp`. */
  private unexpired(claims: Readonly<TokenClaims>): boolean {
    return typeof claims.exp === 'number' && Math.floor(this.nowMs() / 1000) < claims.exp;
  }
}
