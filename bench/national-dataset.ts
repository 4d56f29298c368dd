import type { DataSource } from 'typeorm';

/**
 * A nation-scale region tree for the read-side run (issue 17), written by SQL in bulk (not measured):
 * provinces → cities → counties → townships → villages, one organization per village, spread evenly
 * so the organizations add up to exactly `organizations`. The region tree has no level above the
 * province, so the nation is its provinces side by side. Like the demo county, a county's path starts at
 * the county (`/<county>/<township>/<village>/`) and its parent is its city.
 * People: the organization departments of every province (one account per load connection, since a
 * user may have only API_HEAVY_READS_PER_USER heavy reads in flight) and city, each county's
 * organization department and two county leaders, each township's party secretary. One password
 * hash for all; the benchmark signs their tokens itself.
 */
export interface NationalShape {
  provinces: number;
  citiesPerProvince: number;
  countiesPerCity: number;
  townshipsPerCounty: number;
  organizations: number;
}

export interface NationSummary {
  regions: Record<'province' | 'city' | 'county' | 'township' | 'village', number>;
  organizations: number;
  users: number;
}

const FIXED_HASH = '$2a$04$benchbenchbenchbenchbeu7bGxk1V5r6m5KmrVh0Qm1Q6vVh3hW2';

/** Builds the tree under the code prefix `N<tag>`; `provinceAdmins` accounts per province. */
export async function buildNation(ds: DataSource, shape: NationalShape, tag: string, provinceAdmins: number): Promise<NationSummary> {
  const prefix = `N${tag}`;
  const like = `${prefix}%`;
  // Each level in one statement, its ids made here so the path is written with the row (no UPDATE pass).
  await ds.query(
    `INSERT INTO region (id, code, name, level, parent_id, path)
     SELECT n.id, n.code, '基准省' || n.p, 'province', NULL, '/' || n.id || '/'
     FROM (SELECT gen_random_uuid() AS id, $1 || lpad(p::text, 2, '0') AS code, p FROM generate_series(1, $2) p) n`,
    [prefix, shape.provinces],
  );
  await ds.query(
    `INSERT INTO region (id, code, name, level, parent_id, path)
     SELECT gen_random_uuid(), pr.code || lpad(c::text, 2, '0'), pr.name || '第' || c || '市', 'city', pr.id, pr.path
     FROM region pr, generate_series(1, $2) c WHERE pr.code LIKE $1 AND pr.level = 'province'`,
    [like, shape.citiesPerProvince],
  );
  await ds.query(`UPDATE region SET path = path || id || '/' WHERE code LIKE $1 AND level = 'city'`, [like]);
  await ds.query(
    `INSERT INTO region (id, code, name, level, parent_id, path)
     SELECT n.id, n.code, n.name, 'county', n.parent_id, '/' || n.id || '/'
     FROM (SELECT gen_random_uuid() AS id, ci.code || lpad(k::text, 2, '0') AS code, ci.name || '第' || k || '县' AS name, ci.id AS parent_id
           FROM region ci, generate_series(1, $2) k WHERE ci.code LIKE $1 AND ci.level = 'city') n`,
    [like, shape.countiesPerCity],
  );
  await ds.query(
    `INSERT INTO region (id, code, name, level, parent_id, path)
     SELECT n.id, n.code, n.name, 'township', n.parent_id, n.ppath || n.id || '/'
     FROM (SELECT gen_random_uuid() AS id, k.code || lpad(t::text, 3, '0') AS code, k.name || '第' || t || '镇' AS name, k.id AS parent_id, k.path AS ppath
           FROM region k, generate_series(1, $2) t WHERE k.code LIKE $1 AND k.level = 'county') n`,
    [like, shape.townshipsPerCounty],
  );
  // Villages: the organizations spread over the townships, the first (organizations mod townships) taking one more.
  await ds.query(
    `WITH t AS (
       SELECT id, code, name, path, row_number() OVER (ORDER BY code) - 1 AS i, count(*) OVER () AS n
       FROM region WHERE code LIKE $1 AND level = 'township'
     )
     INSERT INTO region (id, code, name, level, parent_id, path)
     SELECT v.id, v.code, v.name, 'village', v.parent_id, v.ppath || v.id || '/'
     FROM (SELECT gen_random_uuid() AS id, t.code || lpad(g::text, 3, '0') AS code, t.name || g || '村' AS name, t.id AS parent_id, t.path AS ppath
           FROM t, generate_series(1, ($2::int / t.n)::int + CASE WHEN t.i < $2::int % t.n THEN 1 ELSE 0 END) g) v`,
    [like, shape.organizations],
  );
  await ds.query(
    `INSERT INTO organization (code, name, domain, region_id, township_id, county_id, secretary_name)
     SELECT 'O' || v.code, v.name || '党支部', 'village', v.id, t.id, t.parent_id, '书记' || right(v.code, 3)
     FROM region v JOIN region t ON t.id = v.parent_id WHERE v.level = 'village' AND v.code LIKE $1`,
    [like],
  );
  await ds.query(
    `INSERT INTO app_user (username, display_name, title, password_hash, role, region_id)
     SELECT lower('padmin_' || p.code || '_' || a), '省委组织部' || a, '组织处长', $2, 'province_org_admin', p.id
     FROM region p, generate_series(1, $3) a WHERE p.code LIKE $1 AND p.level = 'province'
     UNION ALL
     SELECT lower('cadmin_' || c.code), '市委组织部' || c.name, '组织科长', $2, 'city_org_admin', c.id FROM region c WHERE c.code LIKE $1 AND c.level = 'city'
     UNION ALL
     SELECT lower('admin_' || k.code), '组织部' || k.name, '组织科长', $2, 'county_org_admin', k.id FROM region k WHERE k.code LIKE $1 AND k.level = 'county'
     UNION ALL
     SELECT lower('leader_' || k.code || '_' || l), '县领导' || l, '副县长', $2, 'county_leader', k.id FROM region k, generate_series(1, 2) l WHERE k.code LIKE $1 AND k.level = 'county'
     UNION ALL
     SELECT lower('sec_' || t.code), t.name || '党委书记', '乡镇党委书记', $2, 'township_party_secretary', t.id FROM region t WHERE t.code LIKE $1 AND t.level = 'township'`,
    [like, FIXED_HASH, provinceAdmins],
  );
  await ds.query('ANALYZE region');
  await ds.query('ANALYZE organization');
  await ds.query('ANALYZE app_user');

  const levels: { level: NationSummary['regions'] extends Record<infer K, number> ? K : never; n: number }[] = await ds.query(
    `SELECT level, count(*)::int AS n FROM region WHERE code LIKE $1 GROUP BY level`,
    [like],
  );
  const regions = { province: 0, city: 0, county: 0, township: 0, village: 0 };
  for (const l of levels) regions[l.level] = l.n;
  const [{ orgs }] = await ds.query(`SELECT count(*)::int AS orgs FROM organization WHERE code LIKE $1`, [`O${like}`]);
  const [{ users }] = await ds.query(`SELECT count(*)::int AS users FROM app_user u JOIN region r ON r.id = u.region_id WHERE r.code LIKE $1`, [like]);
  return { regions, organizations: orgs, users };
}

/** An organization chosen for a case, with the people who act on it. */
export interface CaseSlot {
  organizationId: string;
  organizationName: string;
  regionId: string;
  townshipId: string;
  countyId: string;
  secretaryName: string | null;
  admin: { id: string; name: string };
  townshipSecretary: { id: string; name: string };
  leader: { id: string; name: string; title: string };
}

/** Every `every`-th organization in code order (so each province, city and county gets its share of cases). */
export async function pickCaseSlots(ds: DataSource, tag: string, count: number, every: number): Promise<CaseSlot[]> {
  const rows: {
    oid: string;
    oname: string;
    region_id: string;
    township_id: string;
    county_id: string;
    secretary_name: string | null;
    admin_id: string;
    admin_name: string;
    sec_id: string;
    sec_name: string;
    leader_id: string;
    leader_name: string;
    leader_title: string;
  }[] = await ds.query(
    `WITH o AS (
       SELECT o.*, row_number() OVER (ORDER BY o.code) - 1 AS i FROM organization o WHERE o.code LIKE $1
     )
     SELECT o.id AS oid, o.name AS oname, o.region_id, o.township_id, o.county_id, o.secretary_name,
            a.id AS admin_id, a.display_name AS admin_name, s.id AS sec_id, s.display_name AS sec_name,
            l.id AS leader_id, l.display_name AS leader_name, l.title AS leader_title
     FROM o
     JOIN app_user a ON a.region_id = o.county_id AND a.role = 'county_org_admin'
     JOIN app_user s ON s.region_id = o.township_id AND s.role = 'township_party_secretary'
     JOIN app_user l ON l.region_id = o.county_id AND l.role = 'county_leader' AND l.username LIKE '%\\_' || (1 + (o.i / $3) % 2)
     WHERE o.i % $3 = 0
     ORDER BY o.i
     LIMIT $2`,
    [`ON${tag}%`, count, every],
  );
  return rows.map((r) => ({
    organizationId: r.oid,
    organizationName: r.oname,
    regionId: r.region_id,
    townshipId: r.township_id,
    countyId: r.county_id,
    secretaryName: r.secretary_name,
    admin: { id: r.admin_id, name: r.admin_name },
    townshipSecretary: { id: r.sec_id, name: r.sec_name },
    leader: { id: r.leader_id, name: r.leader_name, title: r.leader_title },
  }));
}

/** A village team's leader (整建队伍队长) for each of `count` cases spread over the list (one per village). */
export async function addTeamLeaders(ds: DataSource, slots: CaseSlot[], count: number): Promise<{ id: string; regionId: string }[]> {
  const villages = Array.from({ length: Math.min(count, slots.length) }, (_, i) => slots[Math.floor((i * slots.length) / Math.min(count, slots.length))].regionId);
  const rows: { id: string; region_id: string }[] = await ds.query(
    `INSERT INTO app_user (username, display_name, title, password_hash, role, region_id)
     SELECT 'team_' || replace(v::text, '-', ''), '整建队长' || n, '第一书记', $2, 'team_leader', v FROM unnest($1::uuid[]) WITH ORDINALITY AS x(v, n)
     RETURNING id, region_id`,
    [villages, FIXED_HASH],
  );
  return rows.map((r) => ({ id: r.id, regionId: r.region_id }));
}
