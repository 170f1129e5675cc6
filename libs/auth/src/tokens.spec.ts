import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { TokenService, UnauthenticatedError } from './tokens.js';

const actor = {
  id: 'u-1',
  name: '李春梅',
  role: 'township_officer' as const,
  department: 'intake',
  jurisdiction: '150802100000',
};
const secret = new TextEncoder().encode('x'.repeat(40));

describe('TokenService', () => {
  let now = new Date('2026-11-27T02:00:00Z');
  const service = (idp?: ConstructorParameters<typeof TokenService>[0]['idp']) =>
    new TokenService({ secret, issuer: 'platform', ttlSeconds: 3600, now: () => now, idp });

  beforeEach(() => {
    now = new Date('2026-11-27T02:00:00Z');
  });

  it('issues tokens it then accepts, carrying the actor', async () => {
    const s = service();
    const { accessToken } = await s.issue(actor);
    await expect(s.verify(accessToken)).resolves.toEqual(actor);
  });

  it('still rejects a token it accepted before, once it has expired', async () => {
    const s = service();
    const { accessToken } = await s.issue(actor);
    await expect(s.verify(accessToken)).resolves.toEqual(actor);
    now = new Date('2026-11-27T02:59:59Z');
    await expect(s.verify(accessToken)).resolves.toEqual(actor);
    now = new Date('2026-11-27T03:00:01Z');
    await expect(s.verify(accessToken)).rejects.toThrow(/过期/);
    now = new Date('2026-11-27T01:00:00Z');
    await expect(s.verify(accessToken)).rejects.toThrow(UnauthenticatedError);
  });

  it('rejects expired and not-yet-valid tokens', async () => {
    const s = service();
    const { accessToken } = await s.issue(actor);
    now = new Date('2026-11-27T03:00:01Z');
    await expect(s.verify(accessToken)).rejects.toThrow(/过期/);
    now = new Date('2026-11-27T01:00:00Z');
    await expect(s.verify(accessToken)).rejects.toThrow(UnauthenticatedError);
  });

  it('rejects alg none, a wrong key and a tampered payload', async () => {
    const s = service();
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({
        sub: 'u-1',
        role: 'admin',
        department: 'x',
        jurisdiction: 'y',
        iss: 'platform',
        exp: 2e9,
      }),
    ).toString('base64url');
    await expect(s.verify(`${header}.${body}.`)).rejects.toThrow(/算法/);
    const forged = await new SignJWT({ role: 'admin', department: 'x', jurisdiction: 'y' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-1')
      .setIssuer('platform')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('y'.repeat(40)));
    await expect(s.verify(forged)).rejects.toThrow(/签名/);
    const { accessToken } = await s.issue(actor);
    const [h, , sig] = accessToken.split('.');
    await expect(s.verify(`${h}.${body}.${sig}`)).rejects.toThrow(UnauthenticatedError);
  });

  it('accepts RS256 and ES256 tokens from the configured identity provider, and only those', async () => {
    for (const alg of ['RS256', 'ES256'] as const) {
      const { publicKey, privateKey } = await generateKeyPair(alg);
      const s = service({
        publicKeyPem: await exportSPKI(publicKey),
        algorithm: alg,
        issuer: 'gov-idp',
        audience: 'social-assistance',
      });
      const token = await new SignJWT({
        role: 'health_officer',
        department: 'health',
        jurisdiction: '150802000000',
        name: '陈静',
      })
        .setProtectedHeader({ alg })
        .setSubject('gov-123')
        .setIssuer('gov-idp')
        .setAudience('social-assistance')
        .setIssuedAt(now)
        .setExpirationTime(new Date(now.getTime() + 600_000))
        .sign(privateKey);
      await expect(s.verify(token)).resolves.toMatchObject({ id: 'gov-123', role: 'health_officer' });
      const other = await generateKeyPair(alg);
      const wrongKey = await new SignJWT({
        role: 'health_officer',
        department: 'health',
        jurisdiction: '150802000000',
      })
        .setProtectedHeader({ alg })
        .setSubject('gov-123')
        .setIssuer('gov-idp')
        .setAudience('social-assistance')
        .setExpirationTime(new Date(now.getTime() + 600_000))
        .sign(other.privateKey);
      await expect(s.verify(wrongKey)).rejects.toThrow(UnauthenticatedError);
    }
  });

  describe('the identity provider', () => {
    const claims = { role: 'health_officer', department: 'health', jurisdiction: '150802000000' };
    const idpToken = (key: Parameters<SignJWT['sign']>[0], alg: string, audience?: string) => {
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg })
        .setSubject('gov-123')
        .setIssuer('gov-idp')
        .setExpirationTime(new Date(now.getTime() + 600_000));
      return (audience ? jwt.setAudience(audience) : jwt).sign(key);
    };

    it('refuses a token the same provider issued to another application, or to none', async () => {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      const s = service({
        publicKeyPem: await exportSPKI(publicKey),
        algorithm: 'RS256',
        issuer: 'gov-idp',
        audience: 'social-assistance',
      });
      await expect(s.verify(await idpToken(privateKey, 'RS256', 'social-assistance'))).resolves.toMatchObject(
        {
          id: 'gov-123',
        },
      );
      await expect(s.verify(await idpToken(privateKey, 'RS256', 'tax-bureau'))).rejects.toThrow(/aud/);
      await expect(s.verify(await idpToken(privateKey, 'RS256'))).rejects.toThrow(UnauthenticatedError);
    });

    it('takes the algorithm from configuration: a token naming another one is refused and breaks nothing', async () => {
      const rsa = await generateKeyPair('RS256');
      const s = service({
        publicKeyPem: await exportSPKI(rsa.publicKey),
        algorithm: 'RS256',
        issuer: 'gov-idp',
        audience: 'social-assistance',
      });
      // Before: the token's ES256 was used to import the RSA key, the failed import was remembered, and
      // every later token of the provider was refused until a restart.
      const ec = await generateKeyPair('ES256');
      await expect(s.verify(await idpToken(ec.privateKey, 'ES256', 'social-assistance'))).rejects.toThrow(
        /不接受的签名算法：ES256/,
      );
      const pss = await generateKeyPair('PS256');
      await expect(s.verify(await idpToken(pss.privateKey, 'PS256', 'social-assistance'))).rejects.toThrow(
        /不接受的签名算法：PS256/,
      );
      await expect(
        s.verify(await idpToken(rsa.privateKey, 'RS256', 'social-assistance')),
      ).resolves.toMatchObject({ id: 'gov-123', role: 'health_officer' });
    });

    it('does not remember a key that failed to import', async () => {
      const rsa = await generateKeyPair('RS256');
      const idp = {
        publicKeyPem: '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----',
        algorithm: 'RS256' as const,
        issuer: 'gov-idp',
        audience: 'social-assistance',
      };
      const s = service(idp);
      const token = await idpToken(rsa.privateKey, 'RS256', 'social-assistance');
      await expect(s.verify(token)).rejects.toThrow(UnauthenticatedError);
      idp.publicKeyPem = await exportSPKI(rsa.publicKey); // the key is readable now
      await expect(s.verify(token)).resolves.toMatchObject({ id: 'gov-123' });
    });
  });

  it('rejects a token whose role is unknown', async () => {
    const s = service();
    const token = await new SignJWT({ role: 'mayor', department: 'x', jurisdiction: 'y' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-1')
      .setIssuer('platform')
      .setExpirationTime(new Date(now.getTime() + 600_000))
      .sign(secret);
    await expect(s.verify(token)).rejects.toThrow(/角色/);
  });
});
