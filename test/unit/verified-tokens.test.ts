import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { VerifiedTokens, type TokenClaims } from '../../apps/api/src/auth/verified-tokens';

/** A JwtService as AuthModule configures it, and a count of the verifications it made. */
function issuer(secret = 'a-secret-of-thirty-two-characters-or-more') {
  const jwt = new JwtService({
    secret: createSecretKey(Buffer.from(secret, 'utf8')),
    signOptions: { algorithm: 'HS256' },
    verifyOptions: { algorithms: ['HS256'] },
  });
  const counted = { verifications: 0 };
  const verify = (token: string) => {
    counted.verifications += 1;
    return jwt.verifyAsync<TokenClaims>(token);
  };
  return { jwt, verify, counted };
}

const USER = '9a0c2b53-3f2b-4a51-9d0e-2f4f3f8e1a11';

describe('verified tokens: a token checked once is not checked again while it lasts, and never outlasts its expiry', () => {
  afterEach(() => jest.useRealTimers());

  it('a person sending the same token request after request has its signature checked once', async () => {
    const { jwt, verify, counted } = issuer();
    const tokens = new VerifiedTokens(verify);
    const token = await jwt.signAsync({ sub: USER, sv: 0 }, { expiresIn: '8h' });
    for (let i = 0; i < 3; i++) expect(await tokens.claims(token)).toMatchObject({ sub: USER, sv: 0 });
    expect(counted.verifications).toBe(1);
  });

  it('a token accepted a minute ago is refused once it has expired, with jsonwebtoken’s own error', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-06T09:00:00+08:00'), doNotFake: ['nextTick', 'setImmediate'] });
    const { jwt, verify } = issuer();
    const tokens = new VerifiedTokens(verify);
    const token = await jwt.signAsync({ sub: USER, sv: 0 }, { expiresIn: '60s' });
    await expect(tokens.claims(token)).resolves.toMatchObject({ sub: USER });
    jest.setSystemTime(new Date('2026-12-06T09:00:59+08:00'));
    await expect(tokens.claims(token)).resolves.toMatchObject({ sub: USER });
    jest.setSystemTime(new Date('2026-12-06T09:01:00+08:00'));
    await expect(tokens.claims(token)).rejects.toMatchObject({ name: 'TokenExpiredError' });
    await expect(tokens.claims(token)).rejects.toMatchObject({ name: 'TokenExpiredError' });
  });

  it('a token signed with another secret is refused every time it is sent', async () => {
    const { verify, counted } = issuer();
    const stranger = issuer('another-secret-of-thirty-two-characters');
    const tokens = new VerifiedTokens(verify);
    const forged = await stranger.jwt.signAsync({ sub: USER, sv: 0 }, { expiresIn: '8h' });
    await expect(tokens.claims(forged)).rejects.toMatchObject({ name: 'JsonWebTokenError' });
    await expect(tokens.claims(forged)).rejects.toMatchObject({ name: 'JsonWebTokenError' });
    expect(counted.verifications).toBe(2);
  });

  it('a token without an expiry, or valid only from a later time, is checked every time', async () => {
    const { jwt, verify, counted } = issuer();
    const tokens = new VerifiedTokens(verify);
    const forever = await jwt.signAsync({ sub: USER, sv: 0 });
    const later = await jwt.signAsync({ sub: USER, sv: 0 }, { expiresIn: '8h', notBefore: '1s' });
    await tokens.claims(forever);
    await tokens.claims(forever);
    await expect(tokens.claims(later)).rejects.toMatchObject({ name: 'NotBeforeError' });
    await expect(tokens.claims(later)).rejects.toMatchObject({ name: 'NotBeforeError' });
    expect(counted.verifications).toBe(4);
  });

  it('keeps at most its number of tokens, the least recently used going first, and gives claims no request can change', async () => {
    const { jwt, verify, counted } = issuer();
    const tokens = new VerifiedTokens(verify, 2);
    const [a, b, c] = await Promise.all([1, 2, 3].map((sv) => jwt.signAsync({ sub: USER, sv }, { expiresIn: '8h' })));
    await tokens.claims(a);
    await tokens.claims(b);
    await tokens.claims(a);
    await tokens.claims(c);
    expect(counted.verifications).toBe(3);
    await tokens.claims(a);
    expect(counted.verifications).toBe(3);
    const claims = await tokens.claims(b);
    expect(counted.verifications).toBe(4);
    expect(() => Object.assign(claims, { sub: 'someone-else' })).toThrow(TypeError);
  });
});
