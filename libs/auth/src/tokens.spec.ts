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
