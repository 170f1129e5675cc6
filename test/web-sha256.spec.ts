// The web UI's PKCE challenge must hash as the provider does (RFC 7636 S256) even where the browser has
// no crypto.subtle (plain HTTP on an office network): its own SHA-256 must agree with Node's.
import { createHash, randomBytes } from 'node:crypto';
import { sha256Js } from '../apps/web/src/sha256.js';

describe('web UI SHA-256 for PKCE (apps/web/src/sha256.ts)', () => {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

  it('matches the FIPS 180-4 test vectors and RFC 7636 Appendix B', () => {
    expect(hex(sha256Js(new Uint8Array()))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(hex(sha256Js(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const challenge = Buffer.from(
      sha256Js(new TextEncoder().encode('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')),
    ).toString('base64url');
    expect(challenge).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('agrees with Node at every length around the 55/56/64-byte padding boundaries', () => {
    for (let n = 0; n <= 200; n++) {
      const data = randomBytes(n);
      expect(hex(sha256Js(new Uint8Array(data)))).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });
});
