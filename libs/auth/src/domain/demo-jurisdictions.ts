import type { JurisdictionNode } from './jurisdiction.js';

/**
 * Demo tree: 巴彦淖尔市 with its seven districts and banners, and townships and villages under
 * 临河区 and 五原县. Codes follow the 12-digit statistical division format.
 */
export const DEMO_JURISDICTIONS: JurisdictionNode[] = [
  { code: '150800000000', name: '巴彦淖尔市', level: 'city', parentCode: null },
  { code: '150802000000', name: '临河区', level: 'county', parentCode: '150800000000' },
  { code: '150821000000', name: '五原县', level: 'county', parentCode: '150800000000' },
  { code: '150822000000', name: '磴口县', level: 'county', parentCode: '150800000000' },
  { code: '150823000000', name: '乌拉特前旗', level: 'county', parentCode: '150800000000' },
  { code: '150824000000', name: '乌拉特中旗', level: 'county', parentCode: '150800000000' },
  { code: '150825000000', name: '乌拉特后旗', level: 'county', parentCode: '150800000000' },
  { code: '150826000000', name: '杭锦后旗', level: 'county', parentCode: '150800000000' },
  // 临河区
  { code: '150802001000', name: '车站街道', level: 'township', parentCode: '150802000000' },
  { code: '150802001001', name: '铁路社区', level: 'village', parentCode: '150802001000' },
  { code: '150802001002', name: '站前社区', level: 'village', parentCode: '150802001000' },
  { code: '150802002000', name: '铁南街道', level: 'township', parentCode: '150802000000' },
  { code: '150802002001', name: '新乐社区', level: 'village', parentCode: '150802002000' },
  { code: '150802100000', name: '双河镇', level: 'township', parentCode: '150802000000' },
  { code: '150802100201', name: '进步村', level: 'village', parentCode: '150802100000' },
  { code: '150802100202', name: '丰收村', level: 'village', parentCode: '150802100000' },
  { code: '150802101000', name: '城关镇', level: 'township', parentCode: '150802000000' },
  { code: '150802101201', name: '先锋村', level: 'village', parentCode: '150802101000' },
  // 五原县
  { code: '150821100000', name: '隆兴昌镇', level: 'township', parentCode: '150821000000' },
  { code: '150821100201', name: '联丰村', level: 'village', parentCode: '150821100000' },
  { code: '150821100202', name: '义和村', level: 'village', parentCode: '150821100000' },
  { code: '150821101000', name: '塔尔湖镇', level: 'township', parentCode: '150821000000' },
  { code: '150821101201', name: '永胜村', level: 'village', parentCode: '150821101000' },
];
