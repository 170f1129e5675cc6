import { assertPasswordAcceptable, passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it('accepts a long password mixing three kinds of characters', () => {
    expect(passwordProblem('Chushi#Mima2026', 'wuyuan.window2')).toBeNull();
    expect(passwordProblem('huanghe-hetao-7788', 'admin')).toBeNull(); // lower, digits, symbols
    expect(passwordProblem('巴彦淖尔Hetao2026', 'admin')).toBeNull(); // Chinese counts as a symbol
  });

  it('needs at least 10 characters', () => {
    expect(passwordProblem('Ab1!xyz', 'u')).toEqual({ rule: 'min_length', message: '密码至少需要10个字符' });
    expect(passwordProblem('Demo@2026', 'admin')?.rule).toBe('min_length');
  });

  it('needs three of upper case, lower case, digits and symbols', () => {
    expect(passwordProblem('abcdefghijk1', 'u')?.rule).toBe('character_classes');
    expect(passwordProblem('ABCDEFGHIJ!!', 'u')?.rule).toBe('character_classes');
    expect(passwordProblem('abcdefghijk1', 'u')?.message).toContain('三类');
  });

  it('refuses a password containing the username, whatever the case', () => {
    expect(passwordProblem('Shuanghe.Window#1', 'shuanghe.window')).toEqual({
      rule: 'contains_username',
      message: '密码不能包含用户名',
    });
  });

  it('refuses common passwords, also dressed up with a year, symbols or digits for letters', () => {
    for (const p of [
      'Password@2026',
      'P@ssw0rd2026!',
      '!Admin123456',
      'Qwerty2026!!',
      'Welcome#2026',
      'Aaaaaaaaaa1!',
    ]) {
      expect({ p, rule: passwordProblem(p, 'someone')?.rule }).toEqual({
        p,
        rule: expect.stringMatching(/common|character_classes/),
      });
    }
    expect(passwordProblem('Password@2026', 'someone')?.rule).toBe('common');
  });

  it('throws 422 WEAK_PASSWORD naming the field and the rule in Chinese', () => {
    expect(() => assertPasswordAcceptable('short', 'u', 'newPassword')).toThrow(
      expect.objectContaining({
        code: 'WEAK_PASSWORD',
        status: 422,
        message: 'newPassword：密码至少需要10个字符',
        details: { field: 'newPassword', rule: 'min_length' },
      }),
    );
    expect(() => assertPasswordAcceptable('Chushi#Mima2026', 'u')).not.toThrow();
  });
});
