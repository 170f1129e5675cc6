import type { Role } from './roles.js';

export interface DirectoryUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  department: string;
  jurisdiction: string;
  organisation?: string;
}

/**
 * Demo users for every role (and a county administrator for 临河区), loaded only with AUTH_DEMO_USERS=true
 * (the embedded quick start's default; production refuses it). Password for all: `Demo@2026`.
 */
export const DEMO_PASSWORD = 'Demo@2026';

export const DEMO_USERS: DirectoryUser[] = [
  {
    id: 'u-twp-shuanghe',
    username: 'shuanghe.window',
    name: '李春梅',
    role: 'township_officer',
    department: 'intake',
    jurisdiction: '150802100000',
  },
  {
    id: 'u-twp-chezhan',
    username: 'chezhan.window',
    name: '赵建国',
    role: 'township_officer',
    department: 'intake',
    jurisdiction: '150802001000',
  },
  {
    id: 'u-twp-longxing',
    username: 'longxing.window',
    name: '王丽',
    role: 'township_officer',
    department: 'intake',
    jurisdiction: '150821100000',
  },
  {
    id: 'u-vil-jinbu',
    username: 'jinbu.village',
    name: '张桂兰',
    role: 'village_verifier',
    department: 'intake',
    jurisdiction: '150802100201',
  },
  {
    id: 'u-vil-lianfeng',
    username: 'lianfeng.village',
    name: '高志强',
    role: 'village_verifier',
    department: 'intake',
    jurisdiction: '150821100201',
  },
  {
    id: 'u-ca-linhe',
    username: 'linhe.civil',
    name: '刘海燕',
    role: 'county_civil_affairs',
    department: 'civil-affairs',
    jurisdiction: '150802000000',
  },
  {
    id: 'u-ca-wuyuan',
    username: 'wuyuan.civil',
    name: '孙立军',
    role: 'county_civil_affairs',
    department: 'civil-affairs',
    jurisdiction: '150821000000',
  },
  {
    id: 'u-health-linhe',
    username: 'linhe.health',
    name: '陈静',
    role: 'health_officer',
    department: 'health',
    jurisdiction: '150802000000',
  },
  {
    id: 'u-health-city',
    username: 'city.health',
    name: '周敏',
    role: 'health_officer',
    department: 'health',
    jurisdiction: '150800000000',
  },
  {
    id: 'u-housing-linhe',
    username: 'linhe.housing',
    name: '吴刚',
    role: 'housing_officer',
    department: 'housing',
    jurisdiction: '150802000000',
  },
  {
    id: 'u-edu-linhe',
    username: 'linhe.education',
    name: '郑小红',
    role: 'education_officer',
    department: 'education',
    jurisdiction: '150802000000',
  },
  {
    id: 'u-edu-wuyuan',
    username: 'wuyuan.education',
    name: '马文',
    role: 'education_officer',
    department: 'education',
    jurisdiction: '150821000000',
  },
  {
    id: 'u-sw-linhe',
    username: 'linhe.socialworker',
    name: '何芳',
    role: 'social_worker',
    department: 'intake',
    jurisdiction: '150802000000',
    organisation: '临河区阳光社会工作服务中心',
  },
  {
    id: 'u-gov-linhe',
    username: 'linhe.government',
    name: '杨帆',
    role: 'government_liaison',
    department: 'government',
    jurisdiction: '150802000000',
  },
  {
    id: 'u-auditor',
    username: 'city.auditor',
    name: '黄立',
    role: 'auditor',
    department: 'oversight',
    jurisdiction: '150800000000',
  },
  {
    id: 'u-joint',
    username: 'city.jointmeeting',
    name: '林晓',
    role: 'joint_meeting_viewer',
    department: 'oversight',
    jurisdiction: '150800000000',
  },
  {
    id: 'u-admin',
    username: 'admin',
    name: '系统管理员',
    role: 'admin',
    department: 'platform',
    jurisdiction: '150800000000',
  },
  {
    id: 'u-admin-linhe',
    username: 'linhe.admin',
    name: '韩磊',
    role: 'admin',
    department: 'platform',
    jurisdiction: '150802000000',
  },
];
