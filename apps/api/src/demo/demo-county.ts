import type { DesignationReason, OrganizationDomain, UserRole } from '../../../../libs/domain';
import { demoBatchDates, type DemoCourse } from './demo-history';

/**
 * A fictional county for demonstrations and first-time users: 青禾县 with six townships and
 * 58 villages and communities. Codes start with 99, which no real province uses.
 */
export interface DemoVillage {
  code: string;
  name: string;
  domain: Extract<OrganizationDomain, 'village' | 'community'>;
  secretaryName: string | null;
}

export interface DemoTownship {
  code: string;
  name: string;
  villages: DemoVillage[];
}

export interface DemoDesignation {
  villageCode: string;
  reasons: DesignationReason[];
  note: string;
  /**
   * Where the case stands today, its past made by the case's rules (demo-history.ts). Absent: a late
   * addition to the batch, designated on the day the demo is loaded (已认定), as the county would today.
   */
  course?: DemoCourse;
  /** The contact leader (a demo user) of a case with a past. */
  leader?: 'xj_lingdao' | 'xj_lingdao2';
}

export const DEMO_COUNTY = { code: '990101', name: '青禾县' };
/** Above the county (issue 17): the demo county's city and province, each with its organization department. */
export const DEMO_CITY = { code: '990100', name: '青川市' };
export const DEMO_PROVINCE = { code: '990000', name: '云岭省' };

/** Organizations of other kinds (issue 18: playbooks by kind), placed in a community's region; `code` keys them like a village's. */
export interface DemoOtherOrganization {
  code: string;
  name: string;
  domain: Exclude<OrganizationDomain, 'village' | 'community'>;
  regionCode: string;
  secretaryName: string;
}

export const DEMO_OTHER_ORGANIZATIONS: DemoOtherOrganization[] = [
  { code: '990101005901', name: '东湖街道文昌小学党支部', domain: 'school', regionCode: '990101005003', secretaryName: '林春梅' },
  { code: '990101005902', name: '东湖街道办事处机关党支部', domain: 'agency', regionCode: '990101005001', secretaryName: '何德明' },
  { code: '990101005903', name: '青禾县供水有限公司党支部', domain: 'soe', regionCode: '990101005004', secretaryName: '郭振华' },
  { code: '990101005904', name: '锦绣物业服务有限公司党支部', domain: 'private_firm', regionCode: '990101005005', secretaryName: '罗丽娟' },
  { code: '990101005905', name: '春晖社会工作服务中心党支部', domain: 'social_org', regionCode: '990101005004', secretaryName: '马海燕' },
];
/** The demo batch: designated about nine months before the day the demo is loaded (demo-history.ts). */
export const DEMO_BATCH_YEAR = demoBatchDates().batchYear;

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['建国', '秀英', '志强', '桂兰', '国华', '海燕', '文军', '春梅', '永福', '丽娟', '德明', '玉珍', '振华', '红霞', '长青'];

const TOWNSHIPS: { name: string; kind: '镇' | '乡' | '街道'; villages: string[] }[] = [
  { name: '禾丰', kind: '镇', villages: ['禾丰', '上坪', '下坪', '石桥', '柿子沟', '杨家湾', '东岭', '西岭', '新民', '丰收'] },
  { name: '青石', kind: '镇', villages: ['青石', '龙潭', '桃园', '马家庄', '白杨', '高岗', '南坡', '北坡', '红星'] },
  { name: '柳溪', kind: '乡', villages: ['柳溪', '竹林', '荷塘', '双河', '三岔口', '回龙', '凤鸣', '梨花', '清泉', '黄土岭'] },
  { name: '云桥', kind: '镇', villages: ['云桥', '云山', '古井', '石门', '望江', '牛角湾', '大营', '小营', '和平'] },
  { name: '东湖', kind: '街道', villages: ['东湖', '湖滨', '文昌', '春晖', '锦绣', '朝阳', '幸福里', '建设路', '光明'] },
  { name: '白沙', kind: '乡', villages: ['白沙', '沙湾', '河口', '枫树坪', '岩头', '长岭', '茶园', '金鸡', '银杏', '团结', '永安'] },
];

const VACANT_SECRETARY_POSTS = new Set(['990101001004', '990101006002', '990101003008']);

function personName(i: number): string {
  return `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}`;
}

export const DEMO_TOWNSHIPS: DemoTownship[] = TOWNSHIPS.map((t, ti) => {
  const townshipCode = `${DEMO_COUNTY.code}${String(ti + 1).padStart(3, '0')}`;
  return {
    code: townshipCode,
    name: `${t.name}${t.kind}`,
    villages: t.villages.map((v, vi) => {
      const isCommunity = t.kind === '街道';
      const serial = ti * 20 + vi;
      return {
        code: `${townshipCode}${String(vi + 1).padStart(3, '0')}`,
        name: isCommunity ? `${v}社区` : `${v}村`,
        domain: isCommunity ? 'community' : 'village',
        // A few secretary posts stand vacant; two of them are the C1 designations below.
        secretaryName: VACANT_SECRETARY_POSTS.has(`${townshipCode}${String(vi + 1).padStart(3, '0')}`) ? null : personName(serial),
      };
    }),
  };
});

/**
 * The weak organizations of the demo batch, with the reasons the county gives and where each stands:
 * a programme in mid-course — converted, in 回头看, relapsed, taken off the list, rectifying with work
 * overdue on each rung of the ladder (督办 after 1 day, 通报 after 15, 约谈 after 30), a school and a
 * community each with a step waiting for the county's sign-off, an agency, a state-owned firm, a private
 * firm and a social organization converted under their kinds' playbooks — and two late additions still at 已认定
 * (石桥村, which the browser tests drive, among them). Cases with a past passed the county's sign-off at
 * each key step and, once accepted, were scored on the acceptance form.
 */
export const DEMO_DESIGNATIONS: DemoDesignation[] = [
  { villageCode: '990101001004', reasons: ['C1', 'C4'], note: '书记长期缺职，2025年以来未召开支部委员会会议（演示数据）' },
  { villageCode: '990101002006', reasons: ['C2', 'C6'], note: '书记年龄偏大、工作不在状态，群众信访较多（演示数据）' },
  { villageCode: '990101003003', reasons: ['C3'], note: '两委班子不团结，换届后内耗严重（演示数据）', leader: 'xj_lingdao2', course: { kind: 'converted', acceptedDaysAgo: 150 } },
  { villageCode: '990101004005', reasons: ['C4', 'C5'], note: '无固定活动场所，组织生活长期不正常（演示数据）', leader: 'xj_lingdao', course: { kind: 'follow_up_review', acceptedDaysAgo: 200 } },
  {
    villageCode: '990101006002',
    reasons: ['C1', 'C6'],
    note: '书记缺职，村集体经济空白，群众意见大（演示数据）',
    leader: 'xj_lingdao2',
    course: { kind: 'relapsed', acceptedDaysAgo: 215, reviewedDaysAgo: 25, findings: '回头看发现：新任书记外出务工两个月，三会一课再度中断，群众反映强烈（演示数据）' },
  },
  {
    villageCode: '990101005007',
    reasons: ['C6'],
    note: '社区服务意识差，办事群众满意度排名末位（演示数据）',
    leader: 'xj_lingdao',
    course: { kind: 'removed', removedDaysAgo: 40, reason: '经县委组织部复核，认定所依据的满意度测评样本有误；重新测评排名居全街道中上，不属于软弱涣散情形，移出整顿名单（演示数据）' },
  },
  { villageCode: '990101001007', reasons: ['C4'], note: '组织生活不经常，党员大会全年仅召开一次（演示数据）', leader: 'xj_lingdao', course: { kind: 'overdue', overdueDays: 6, percent: 60, visitThisQuarter: false } },
  { villageCode: '990101002003', reasons: ['C3'], note: '村两委矛盾突出，村务长期无人议事（演示数据）', leader: 'xj_lingdao2', course: { kind: 'overdue', overdueDays: 22, percent: 30, visitThisQuarter: true } },
  { villageCode: '990101003006', reasons: ['C5'], note: '党员活动阵地被挪作他用（演示数据）', leader: 'xj_lingdao2', course: { kind: 'overdue', overdueDays: 50, percent: 0, visitThisQuarter: true } },
  // Issue 18: a case of each other kind, under its kind's playbook (a school's and a community's own project),
  // each with a step waiting for the county's sign-off (督导把关): the school's problem list, the community's plan.
  {
    villageCode: '990101005901',
    reasons: ['C4'],
    note: '学校党支部组织生活不经常，“四个认同”教育未进课堂（演示数据）',
    leader: 'xj_lingdao',
    course: { kind: 'inspection_waiting', step: 'problem_list', submittedDaysAgo: 3 },
  },
  {
    villageCode: '990101005002',
    reasons: ['C5', 'C6'],
    note: '社区服务设施不落实，社区工作者队伍不稳定（演示数据）',
    leader: 'xj_lingdao2',
    course: { kind: 'inspection_waiting', step: 'plan', submittedDaysAgo: 4 },
  },
  // The other kinds, converted under their own playbooks: the kind's project, no collective-economy project.
  { villageCode: '990101005902', reasons: ['C4'], note: '机关党支部“三会一课”流于形式，党员作用发挥不明显（演示数据）', leader: 'xj_lingdao', course: { kind: 'converted', acceptedDaysAgo: 60 } },
  { villageCode: '990101005903', reasons: ['C2'], note: '企业党支部书记兼职过多，党建与生产经营“两张皮”（演示数据）', leader: 'xj_lingdao2', course: { kind: 'converted', acceptedDaysAgo: 75 } },
  { villageCode: '990101005904', reasons: ['C4'], note: '非公企业党组织活动难以开展，党员流动性大（演示数据）', leader: 'xj_lingdao', course: { kind: 'converted', acceptedDaysAgo: 90 } },
  { villageCode: '990101005905', reasons: ['C4'], note: '社会组织党支部组织生活不经常，党建指导员未到位（演示数据）', leader: 'xj_lingdao2', course: { kind: 'converted', acceptedDaysAgo: 105 } },
];

/** The year-end star rating of the demo county: launched for every organization, some steps taken. */
export const DEMO_RATING_YEAR = 2026;

export interface DemoRatingStep {
  villageCode: string;
  /** Who applies and evaluates: the township's party secretary (demo user) or the county. */
  by: 'township' | 'county';
  application: { selfScore: number; appliedStars: 1 | 2 | 3 | 4 | 5; selfCheck: string };
  evaluation?: { score: number; opinion: string; disqualifiers?: { seriousViolation?: boolean; poorPovertyAlleviation?: boolean; dutiesUnfulfilledOrRankedLow?: boolean; unliftedPoorVillage?: boolean } };
}

export const DEMO_RATING_STEPS: DemoRatingStep[] = [
  { villageCode: '990101001001', by: 'county', application: { selfScore: 96, appliedStars: 5, selfCheck: '六个基本全面达标，集体经济年收入超50万元（演示数据）' }, evaluation: { score: 95.5, opinion: '县考核组实地考核，达到五星级标准（演示数据）' } },
  { villageCode: '990101001002', by: 'township', application: { selfScore: 85, appliedStars: 3, selfCheck: '组织生活规范，阵地建设有待加强（演示数据）' }, evaluation: { score: 82, opinion: '镇考核组考核，达到三星级标准（演示数据）' } },
  { villageCode: '990101001003', by: 'township', application: { selfScore: 62, appliedStars: 2, selfCheck: '班子基本健全，活动开展不够经常（演示数据）' }, evaluation: { score: 57.5, opinion: '组织生活不正常，党员大会全年仅召开一次（演示数据）' } },
  { villageCode: '990101002001', by: 'township', application: { selfScore: 78, appliedStars: 2, selfCheck: '各项制度基本落实（演示数据）' } },
  { villageCode: '990101002002', by: 'county', application: { selfScore: 92, appliedStars: 4, selfCheck: '脱贫攻坚任务完成较好，集体经济稳步增长（演示数据）' } },
];

/** The demo users, one or more per role; all share DEMO_PASSWORD. Listed in the README. */
export const DEMO_PASSWORD = 'Demo@2026';

export interface DemoUser {
  username: string;
  displayName: string;
  title: string;
  role: UserRole;
  /** Region code: the province, the city, the county, a township or a village. */
  regionCode: string;
}

export const DEMO_USERS: DemoUser[] = [
  { username: 'sheng_zzb', displayName: '冯处长', title: '省委组织部组织二处处长', role: 'province_org_admin', regionCode: DEMO_PROVINCE.code },
  { username: 'shi_zzb', displayName: '韩科长', title: '市委组织部组织科科长', role: 'city_org_admin', regionCode: DEMO_CITY.code },
  { username: 'zzb_admin', displayName: '孟组织', title: '县委组织部组织科科长', role: 'county_org_admin', regionCode: DEMO_COUNTY.code },
  { username: 'xw_shuji', displayName: '钱书记', title: '县委书记', role: 'county_party_secretary', regionCode: DEMO_COUNTY.code },
  { username: 'xj_lingdao', displayName: '赵县长', title: '县委常委、常务副县长', role: 'county_leader', regionCode: DEMO_COUNTY.code },
  { username: 'xj_lingdao2', displayName: '孙部长', title: '县委常委、组织部部长', role: 'county_leader', regionCode: DEMO_COUNTY.code },
  { username: 'hefeng_shuji', displayName: '王禾丰', title: '禾丰镇党委书记', role: 'township_party_secretary', regionCode: '990101001' },
  { username: 'qingshi_shuji', displayName: '李青石', title: '青石镇党委书记', role: 'township_party_secretary', regionCode: '990101002' },
  { username: 'liuxi_shuji', displayName: '赵柳溪', title: '柳溪乡党委书记', role: 'township_party_secretary', regionCode: '990101003' },
  { username: 'yunqiao_shuji', displayName: '陈云桥', title: '云桥镇党委书记', role: 'township_party_secretary', regionCode: '990101004' },
  { username: 'donghu_shuji', displayName: '刘东湖', title: '东湖街道党工委书记', role: 'township_party_secretary', regionCode: '990101005' },
  { username: 'baisha_shuji', displayName: '何白沙', title: '白沙乡党委书记', role: 'township_party_secretary', regionCode: '990101006' },
  { username: 'shiqiao_duizhang', displayName: '张科长', title: '县农业农村局副局长（驻石桥村工作队队长）', role: 'team_leader', regionCode: '990101001004' },
  { username: 'shiqiao_duiyuan', displayName: '刘队员', title: '禾丰镇干部（驻石桥村工作队队员）', role: 'team_member', regionCode: '990101001004' },
  { username: 'ducha', displayName: '周督查', title: '县委组织部督查组', role: 'inspector', regionCode: DEMO_COUNTY.code },
];
