import type { DataSource } from 'typeorm';

/**
 * A province-scale data set, written by SQL in bulk (not measured): counties → townships → villages,
 * one organization per village, and the people who work the cases. Every user shares one password
 * hash; the benchmark signs their tokens itself, so nobody logs in. Usernames are lower case, as
 * normalizeUsername stores them (the table refuses others).
 */
export interface DatasetShape {
  counties: number;
  townshipsPerCounty: number;
  villagesPerTownship: number;
}

export interface BenchCounty {
  id: string;
  adminId: string;
  leaderIds: string[];
  townships: { id: string; secretaryId: string; organizationIds: string[] }[];
}

export interface Dataset {
  /** The province the counties hang under (province-administered counties, 省直管县), and its organization department. */
  province: { id: string; adminId: string };
  counties: BenchCounty[];
  organizations: number;
  regions: number;
  users: number;
}

const FIXED_HASH = '$2a$04$benchbenchbenchbenchbeu7bGxk1V5r6m5KmrVh0Qm1Q6vVh3hW2';
/** County-level leaders per county: contact leaders are spread over them. */
const LEADERS_PER_COUNTY = 20;

export async function buildDataset(ds: DataSource, shape: DatasetShape, tag: string): Promise<Dataset> {
  // Regions and organizations in three statements, whatever the size.
  await ds.query(
    `INSERT INTO region (code, name, level, parent_id, path)
     SELECT $1 || lpad(c::text, 3, '0'), '基准县' || c, 'county', NULL, '' FROM generate_series(1, $2) c`,
    [`B${tag}`, shape.counties],
  );
  await ds.query(`UPDATE region SET path = '/' || id || '/' WHERE code LIKE $1 AND level = 'county'`, [`B${tag}%`]);
  // The province above them, as the demo has it (apps/api/src/demo/seed-demo.ts): each county keeps its own
  // path and names the province as its parent, which is how the province's scope and roll-up find it.
  const [province]: { id: string }[] = await ds.query(`INSERT INTO region (code, name, level, parent_id, path) VALUES ($1, '基准省', 'province', NULL, '') RETURNING id`, [`P${tag}`]);
  await ds.query(`UPDATE region SET path = '/' || id || '/' WHERE id = $1`, [province.id]);
  await ds.query(`UPDATE region SET parent_id = $2 WHERE code LIKE $1 AND level = 'county'`, [`B${tag}%`, province.id]);
  await ds.query(
    `INSERT INTO region (code, name, level, parent_id, path)
     SELECT c.code || lpad(t::text, 3, '0'), c.name || '第' || t || '镇', 'township', c.id, ''
     FROM region c, generate_series(1, $2) t WHERE c.code LIKE $1 AND c.level = 'county'`,
    [`B${tag}%`, shape.townshipsPerCounty],
  );
  await ds.query(
    `UPDATE region t SET path = c.path || t.id || '/' FROM region c WHERE t.parent_id = c.id AND t.level = 'township' AND t.code LIKE $1`,
    [`B${tag}%`],
  );
  await ds.query(
    `INSERT INTO region (code, name, level, parent_id, path)
     SELECT t.code || lpad(v::text, 4, '0'), t.name || v || '村', 'village', t.id, ''
     FROM region t, generate_series(1, $2) v WHERE t.code LIKE $1 AND t.level = 'township'`,
    [`B${tag}%`, shape.villagesPerTownship],
  );
  await ds.query(
    `UPDATE region v SET path = t.path || v.id || '/' FROM region t WHERE v.parent_id = t.id AND v.level = 'village' AND v.code LIKE $1`,
    [`B${tag}%`],
  );
  await ds.query(
    `INSERT INTO organization (code, name, domain, region_id, township_id, county_id, secretary_name)
     SELECT 'O' || v.code, v.name || '党支部', 'village', v.id, t.id, t.parent_id, '书记' || right(v.code, 4)
     FROM region v JOIN region t ON t.id = v.parent_id WHERE v.level = 'village' AND v.code LIKE $1`,
    [`B${tag}%`],
  );
  // People: the county organization department and county leaders, each township's party secretary.
  await ds.query(
    `INSERT INTO app_user (username, display_name, title, password_hash, role, region_id)
     SELECT lower('admin_' || c.code), '组织部' || c.name, '组织科长', $2, 'county_org_admin', c.id FROM region c WHERE c.code LIKE $1 AND c.level = 'county'`,
    [`B${tag}%`, FIXED_HASH],
  );
  await ds.query(
    `INSERT INTO app_user (username, display_name, title, password_hash, role, region_id)
     SELECT lower('leader_' || c.code || '_' || l), '县领导' || l, '副县长', $2, 'county_leader', c.id
     FROM region c, generate_series(1, $3) l WHERE c.code LIKE $1 AND c.level = 'county'`,
    [`B${tag}%`, FIXED_HASH, LEADERS_PER_COUNTY],
  );
  await ds.query(
    `INSERT INTO app_user (username, display_name, title, password_hash, role, region_id)
     SELECT lower('sec_' || t.code), t.name || '党委书记', '乡镇党委书记', $2, 'township_party_secretary', t.id FROM region t WHERE t.code LIKE $1 AND t.level = 'township'`,
    [`B${tag}%`, FIXED_HASH],
  );

  const [provinceAdmin]: { id: string }[] = await ds.query(
    `INSERT INTO app_user (username, display_name, title, password_hash, role, region_id) VALUES ($1, '省委组织部基准', '组织二处处长', $2, 'province_org_admin', $3) RETURNING id`,
    [`admin_p${tag}`.toLowerCase(), FIXED_HASH, province.id],
  );

  const counties: BenchCounty[] = [];
  const countyRows: { id: string; code: string }[] = await ds.query(`SELECT id, code FROM region WHERE code LIKE $1 AND level = 'county' ORDER BY code`, [`B${tag}%`]);
  for (const c of countyRows) {
    const [admin] = await ds.query(`SELECT id FROM app_user WHERE username = $1`, [`admin_${c.code}`.toLowerCase()]);
    const leaders: { id: string }[] = await ds.query(`SELECT id FROM app_user WHERE username LIKE $1 ORDER BY username`, [`leader_${c.code}_%`.toLowerCase()]);
    const townships: { id: string; secretary_id: string; orgs: string[] }[] = await ds.query(
      `SELECT t.id, u.id AS secretary_id, array_agg(o.id ORDER BY o.code) AS orgs
       FROM region t JOIN app_user u ON u.region_id = t.id AND u.role = 'township_party_secretary'
       JOIN organization o ON o.township_id = t.id
       WHERE t.parent_id = $1 GROUP BY t.id, u.id, t.code ORDER BY t.code`,
      [c.id],
    );
    counties.push({
      id: c.id,
      adminId: admin.id,
      leaderIds: leaders.map((l) => l.id),
      townships: townships.map((t) => ({ id: t.id, secretaryId: t.secretary_id, organizationIds: t.orgs })),
    });
  }
  const [{ orgs }] = await ds.query(`SELECT count(*)::int AS orgs FROM organization WHERE code LIKE $1`, [`OB${tag}%`]);
  const [{ regions }] = await ds.query(`SELECT count(*)::int AS regions FROM region WHERE code LIKE $1`, [`B${tag}%`]);
  const [{ users }] = await ds.query(`SELECT count(*)::int AS users FROM app_user u JOIN region r ON r.id = u.region_id WHERE r.code LIKE $1 OR r.id = $2`, [`B${tag}%`, province.id]);
  return { province: { id: province.id, adminId: provinceAdmin.id }, counties, organizations: orgs, regions: regions + 1, users };
}

/** A team leader and a team member bound to each given organization's village (the HTTP playbook needs them). */
export async function addTeamUsers(ds: DataSource, organizationIds: string[]): Promise<Map<string, { leaderId: string; memberId: string }>> {
  await ds.query(
    `INSERT INTO app_user (username, display_name, title, password_hash, role, region_id)
     SELECT lower('tl_' || o.code), '队长' || right(o.code, 4), '工作队队长', $2, 'team_leader', o.region_id FROM organization o WHERE o.id = ANY($1::uuid[])
     UNION ALL
     SELECT lower('tm_' || o.code), '队员' || right(o.code, 4), '工作队队员', $2, 'team_member', o.region_id FROM organization o WHERE o.id = ANY($1::uuid[])`,
    [organizationIds, FIXED_HASH],
  );
  const rows: { org: string; role: string; id: string }[] = await ds.query(
    `SELECT o.id AS org, u.role, u.id FROM organization o JOIN app_user u ON u.region_id = o.region_id AND u.role IN ('team_leader', 'team_member') WHERE o.id = ANY($1::uuid[])`,
    [organizationIds],
  );
  const out = new Map<string, { leaderId: string; memberId: string }>();
  for (const r of rows) {
    const e = out.get(r.org) ?? { leaderId: '', memberId: '' };
    if (r.role === 'team_leader') e.leaderId = r.id;
    else e.memberId = r.id;
    out.set(r.org, e);
  }
  return out;
}

/**
 * `n` more staff of one region's organization department (a county's or the province's), for the load
 * on dashboards: the API lets one user have only API_HEAVY_READS_PER_USER (default 2) of them in flight,
 * so sixteen connections are sixteen people, as in an office.
 */
export async function addReaders(ds: DataSource, regionId: string, role: 'county_org_admin' | 'province_org_admin', n: number, tag: string): Promise<string[]> {
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO app_user (username, display_name, title, password_hash, role, region_id)
     SELECT lower('reader_' || $4 || '_' || r.code || '_' || i), '组织部干部' || i, '干部', $2, $3, r.id FROM region r, generate_series(1, $5) i WHERE r.id = $1
     RETURNING id`,
    [regionId, FIXED_HASH, role, tag, n],
  );
  return rows.map((r) => r.id);
}
