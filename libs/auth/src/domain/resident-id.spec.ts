import { JurisdictionTree } from './jurisdiction.js';
import { DEMO_JURISDICTIONS } from './demo-jurisdictions.js';
import { maskIdNumber, maskName, residentIdCheckChar, validateResidentId } from './resident-id.js';

const today = new Date('2026-11-27T00:00:00Z');
const valid = (first17: string) => first17 + residentIdCheckChar(first17);

describe('validateResidentId', () => {
  it('accepts a number with the right check character and reads birth date and gender', () => {
    expect(validateResidentId('150802198001011234', today)).toEqual({
      valid: true,
      birthDate: '1980-01-01',
      gender: 'male',
      regionCode: '150802',
    });
    expect(validateResidentId(valid('11010519491231002'), today)).toMatchObject({
      valid: true,
      gender: 'female',
    });
  });

  it('rejects a wrong check character, length, region or birth date with a reason', () => {
    expect(validateResidentId('150802198001011235', today)).toEqual({
      valid: false,
      reason: '身份证号码校验位不正确',
    });
    expect(validateResidentId('15080219800101123', today)).toMatchObject({ valid: false });
    expect(validateResidentId(valid('99080219800101123'), today)).toMatchObject({
      valid: false,
      reason: expect.stringContaining('地区'),
    });
    expect(validateResidentId(valid('15080219800231123'), today)).toMatchObject({
      valid: false,
      reason: expect.stringContaining('出生日期'),
    });
    expect(validateResidentId(valid('15080220300101123'), today)).toMatchObject({
      valid: false,
      reason: expect.stringContaining('晚于'),
    });
  });
});

describe('masking', () => {
  it('masks ID numbers and names for lists and notices', () => {
    expect(maskIdNumber('150802198001011234')).toBe('150802********1234');
    expect(maskName('王小明')).toBe('王*明');
    expect(maskName('李明')).toBe('李*');
    expect(maskName('欧阳小明')).toBe('欧**明');
  });
});

describe('JurisdictionTree', () => {
  const tree = new JurisdictionTree(DEMO_JURISDICTIONS);

  it('knows which nodes lie within which', () => {
    expect(tree.contains('150802000000', '150802100201')).toBe(true);
    expect(tree.contains('150802100000', '150802100201')).toBe(true);
    expect(tree.contains('150802100000', '150802101201')).toBe(false);
    expect(tree.contains('150821000000', '150802100201')).toBe(false);
    expect(tree.at('150802100201', 'county')!.name).toBe('临河区');
    expect(tree.fullName('150802100201')).toBe('巴彦淖尔市临河区双河镇进步村');
  });

  it('has the city’s seven districts and banners', () => {
    expect(tree.list('county').map((c) => c.name)).toEqual([
      '临河区',
      '五原县',
      '磴口县',
      '乌拉特前旗',
      '乌拉特中旗',
      '乌拉特后旗',
      '杭锦后旗',
    ]);
  });
});
