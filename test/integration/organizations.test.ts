import { Workbook } from 'exceljs';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { In } from 'typeorm';
import { AuditEntryEntity, OrganizationEntity } from '../../libs/persistence';
import { as, personas, type Personas } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';

/** The organization registry (issue 7 item 1): one by one, and bulk from Excel or CSV. */
describe('organization registry (/api/organizations)', () => {
  let h: Harness;
  let home: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let other: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let people: Personas;
  let otherAdmin: Personas['countyAdmin'];
  /** The village regions of the home county (the fixture puts one org in each). */
  let villages: { id: string; code: string }[];
  let otherVillage: { id: string; code: string };

  beforeAll(async () => {
    h = await startHarness();
    home = await createRegionWithOrganizations(h.dataSource, 3);
    other = await createRegionWithOrganizations(h.dataSource, 1);
    people = await personas(h.app, h.dataSource, { countyId: home.county.id, townshipId: home.township.id, villageId: home.organizations[0].regionId });
    otherAdmin = (await personas(h.app, h.dataSource, { countyId: other.county.id, townshipId: other.township.id, villageId: other.organizations[0].regionId })).countyAdmin;
    const regionRows: { id: string; code: string }[] = await h.dataSource.query(`SELECT id, code FROM region WHERE id = ANY($1) ORDER BY code`, [
      [...home.organizations.map((o) => o.regionId), other.organizations[0].regionId],
    ]);
    const byId = new Map(regionRows.map((r) => [r.id, r]));
    villages = home.organizations.map((o) => byId.get(o.regionId)!);
    otherVillage = byId.get(other.organizations[0].regionId)!;
  });
  afterAll(() => h?.close());

  const admin = () => as(h.app, people.countyAdmin);
  const uniq = () => `T${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const orgsByCodes = (codes: string[]) => h.dataSource.getRepository(OrganizationEntity).findBy({ code: In(codes) });
  const auditOf = (action: string, actorId: string) => h.dataSource.getRepository(AuditEntryEntity).find({ where: { action, actorId }, order: { occurredAt: 'ASC' } });

  describe('one by one', () => {
    it('registers an organization in a village, audits it, and answers it by id', async () => {
      const code = uniq();
      const res = await admin()
        .post('/api/organizations')
        .send({ code, name: '东关村党支部', domain: 'village', regionId: villages[0].id, secretaryName: '张三' })
        .expect(201);
      expect(res.body).toMatchObject({ code, name: '东关村党支部', domain: 'village', regionId: villages[0].id, townshipId: home.township.id, countyId: home.county.id, secretaryName: '张三' });

      const got = await admin().get(`/api/organizations/${res.body.id}`).expect(200);
      expect(got.body).toMatchObject({ id: res.body.id, code });
      // The township secretary sees it too (it lies in the township).
      await as(h.app, people.townshipSecretary).get(`/api/organizations/${res.body.id}`).expect(200);

      const audit = (await auditOf('organization.created', people.countyAdmin.id)).filter((a) => (a.payload as { code?: string }).code === code);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor: people.countyAdmin.name, actorRole: 'county_org_admin' });
    });

    it('places an agency in a township; a village organization cannot sit there (400)', async () => {
      const res = await admin().post('/api/organizations').send({ code: uniq(), name: '镇政府机关党支部', domain: 'agency', regionId: home.township.id }).expect(201);
      expect(res.body).toMatchObject({ regionId: home.township.id, townshipId: home.township.id, countyId: home.county.id, secretaryName: null });

      const bad = await admin().post('/api/organizations').send({ code: uniq(), name: '某村党支部', domain: 'village', regionId: home.township.id }).expect(400);
      expect(bad.body).toMatchObject({ code: 'REGION_LEVEL_MISMATCH' });
      expect(bad.body.message).toContain('村（社区）');
      // Nor in the county itself.
      await admin().post('/api/organizations').send({ code: uniq(), name: '县直机关', domain: 'agency', regionId: home.county.id }).expect(400);
    });

    it('answers 409 to a code already in use', async () => {
      const res = await admin().post('/api/organizations').send({ code: home.organizations[1].code, name: '重复', domain: 'village', regionId: villages[1].id }).expect(409);
      expect(res.body).toMatchObject({ code: 'ORGANIZATION_CODE_TAKEN' });
    });

    it('validates with Chinese field names', async () => {
      const res = await admin().post('/api/organizations').send({ code: '', name: 'x'.repeat(101), domain: 'farm', regionId: 'nope' }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toContain('编码（code）');
      expect(res.body.message).toContain('类型（domain）');
      expect(res.body.message).toContain('所在村（社区）或乡镇（regionId）');
      expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['code', 'domain', 'name', 'regionId']);
    });

    it('lets only the county organization department write (403), and only in its county (404)', async () => {
      const body = { code: uniq(), name: '某党支部', domain: 'village', regionId: villages[2].id };
      await as(h.app, people.townshipSecretary).post('/api/organizations').send(body).expect(403);
      await as(h.app, people.countyLeader).patch(`/api/organizations/${home.organizations[0].id}`).send({ name: '改名' }).expect(403);

      // Another county's admin: the region and the organization do not exist for them.
      const region = await as(h.app, otherAdmin).post('/api/organizations').send(body).expect(404);
      expect(region.body.code).toBe('REGION_NOT_FOUND');
      const patch = await as(h.app, otherAdmin).patch(`/api/organizations/${home.organizations[0].id}`).send({ name: '改名' }).expect(404);
      expect(patch.body.code).toBe('ORGANIZATION_NOT_FOUND');
      await as(h.app, otherAdmin).get(`/api/organizations/${home.organizations[0].id}`).expect(404);
      // A team member sees their own village's organization only.
      await as(h.app, people.teamMember).get(`/api/organizations/${home.organizations[0].id}`).expect(200);
      await as(h.app, people.teamMember).get(`/api/organizations/${home.organizations[1].id}`).expect(404);
      await request(h.app.getHttpServer()).get(`/api/organizations/${home.organizations[0].id}`).expect(401);
    });

    it('changes name, domain and secretary, audited with before and after; clears the secretary with null', async () => {
      const created = await admin().post('/api/organizations').send({ code: uniq(), name: '西街社区党支部', domain: 'village', regionId: villages[2].id, secretaryName: '李四' }).expect(201);
      const id = created.body.id as string;
      const res = await admin().patch(`/api/organizations/${id}`).send({ name: '西街社区党委', domain: 'community', secretaryName: '王五' }).expect(200);
      expect(res.body).toMatchObject({ id, name: '西街社区党委', domain: 'community', secretaryName: '王五' });
      const audit = (await auditOf('organization.updated', people.countyAdmin.id)).filter((a) => (a.payload as { organizationId?: string }).organizationId === id);
      expect(audit).toHaveLength(1);
      expect(audit[0].payload).toMatchObject({ before: { name: '西街社区党支部', domain: 'village', secretaryName: '李四' }, after: { name: '西街社区党委', domain: 'community', secretaryName: '王五' } });

      const cleared = await admin().patch(`/api/organizations/${id}`).send({ secretaryName: null }).expect(200);
      expect(cleared.body.secretaryName).toBeNull();

      const bad = await admin().patch(`/api/organizations/${id}`).send({ code: 'X', domain: 'bank' }).expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      await admin().patch(`/api/organizations/${randomUUID()}`).send({ name: 'x' }).expect(404);
      await admin().get('/api/organizations/not-an-id').expect(404);
    });
  });

  describe('bulk import (POST /api/organizations/import)', () => {
    const upload = (user: { token: string }, file: Buffer, name: string, mode?: 'all' | 'valid') =>
      as(h.app, user)
        .post(`/api/organizations/import${mode ? `?mode=${mode}` : ''}`)
        .attach('file', file, name);

    it('imports a good CSV (Chinese headers, domains as labels or codes, quoted fields)', async () => {
      const [a, b, c] = [uniq(), uniq(), uniq()];
      const csv = [
        '编码,名称,类型,所在村（社区）或乡镇编码,书记',
        `${a},东关村党支部,农村,${villages[0].code},张三`,
        `${b},"镇中心小学党支部, 教工",学校,${home.township.code},`,
        `${c},某社会组织党支部,social_org,${villages[1].code},"李""四"""`,
      ].join('\r\n');
      const res = await upload(people.countyAdmin, Buffer.from(`\uFEFF${csv}\r\n`, 'utf8'), 'orgs.csv').expect(201);
      expect(res.body).toEqual({ mode: 'all', rows: 3, imported: 3, rejected: [], rejectedUnlisted: 0 });
      const rows = await orgsByCodes([a, b, c]);
      expect(rows).toHaveLength(3);
      const byCode = new Map(rows.map((r) => [r.code, r]));
      expect(byCode.get(a)).toMatchObject({ domain: 'village', regionId: villages[0].id, townshipId: home.township.id, countyId: home.county.id, secretaryName: '张三' });
      expect(byCode.get(b)).toMatchObject({ name: '镇中心小学党支部, 教工', domain: 'school', regionId: home.township.id, secretaryName: null });
      expect(byCode.get(c)).toMatchObject({ domain: 'social_org', secretaryName: '李"四"' });

      const audit = (await auditOf('organization.imported', people.countyAdmin.id)).filter((e) => ((e.payload as { codes?: string[] }).codes ?? []).includes(a));
      expect(audit).toHaveLength(1);
      expect(audit[0].payload).toMatchObject({ fileName: 'orgs.csv', mode: 'all', rows: 3, imported: 3, rejectedLines: 0 });
    });

    it('imports a good XLSX with English headers', async () => {
      const [a, b] = [uniq(), uniq()];
      const wb = new Workbook();
      const ws = wb.addWorksheet('名册');
      ws.addRow(['code', 'name', 'domain', 'regionCode', 'secretaryName']);
      ws.addRow([a, '南关社区党支部', '社区', villages[2].code, '赵六']);
      ws.addRow([b, '某非公企业党支部', 'private_firm', home.township.code, null]);
      const file = Buffer.from(await wb.xlsx.writeBuffer());
      const res = await upload(people.countyAdmin, file, 'orgs.xlsx').expect(201);
      expect(res.body).toMatchObject({ imported: 2, rejected: [] });
      const rows = await orgsByCodes([a, b]);
      expect(rows.map((r) => [r.code, r.domain, r.secretaryName]).sort()).toEqual([
        [a, 'community', '赵六'],
        [b, 'private_firm', null],
      ].sort());
    });

    /** Two good rows among bad ones: unknown domain, unknown region, another county's region, duplicate code, missing name. */
    function mixedFile() {
      const good = [uniq(), uniq()];
      const dup = uniq();
      const lines = [
        '编码,名称,类型,所在村（社区）或乡镇编码,书记',
        `${good[0]},好一村党支部,农村,${villages[0].code},`, // line 2
        `${uniq()},坏类型党支部,合作社,${villages[0].code},`, // line 3: unknown domain
        `${uniq()},无地党支部,农村,NO-SUCH-REGION,`, // line 4: unknown region code
        `${uniq()},外县党支部,农村,${otherVillage.code},`, // line 5: another county
        `${dup},重复一,农村,${villages[1].code},`, // line 6
        `${dup},重复二,农村,${villages[1].code},`, // line 7: duplicate code in the file
        '', // line 8: blank, skipped
        `${uniq()},,农村,${villages[1].code},`, // line 9: missing name
        `${home.organizations[0].code},已有编码,农村,${villages[0].code},`, // line 10: code in the database
        `${good[1]},好二小学党支部,学校,${home.township.code},`, // line 11
      ];
      return { good, dup, csv: Buffer.from(lines.join('\n'), 'utf8') };
    }

    it('rejects a file with bad rows as a whole: every line and reason listed, nothing imported', async () => {
      const { good, dup, csv } = mixedFile();
      const res = await upload(people.countyAdmin, csv, 'mixed.csv').expect(400);
      expect(res.body.code).toBe('IMPORT_INVALID');
      expect(res.body.message).toContain('第 3 行');
      const rejected = res.body.details.rejected as { line: number; field: string; reason: string }[];
      expect(rejected.map((p) => [p.line, p.field])).toEqual([
        [3, '类型'],
        [4, '所在村（社区）或乡镇编码'],
        [5, '所在村（社区）或乡镇编码'],
        [7, '编码'],
        [9, '名称'],
        [10, '编码'],
      ]);
      expect(rejected[0].reason).toContain('合作社');
      expect(rejected[1].reason).toContain('不存在');
      expect(rejected[2].reason).toContain('不在本县（区）');
      expect(rejected[3].reason).toContain('第 6 行');
      expect(rejected[4].reason).toBe('名称不能为空');
      expect(rejected[5].reason).toContain('已被使用');
      expect(await orgsByCodes([...good, dup])).toHaveLength(0);
    });

    it('with mode=valid imports the good rows and reports the bad ones', async () => {
      const { good, dup, csv } = mixedFile();
      const res = await upload(people.countyAdmin, csv, 'mixed.csv', 'valid').expect(201);
      expect(res.body).toMatchObject({ mode: 'valid', rows: 9, imported: 3 });
      expect(res.body.rejected.map((p: { line: number }) => p.line)).toEqual([3, 4, 5, 7, 9, 10]);
      const rows = await orgsByCodes([...good, dup]);
      expect(rows.map((r) => r.name).sort()).toEqual(['好一村党支部', '好二小学党支部', '重复一'].sort());
      const audit = (await auditOf('organization.imported', people.countyAdmin.id)).filter((e) => ((e.payload as { codes?: string[] }).codes ?? []).includes(good[0]));
      expect(audit[0].payload).toMatchObject({ mode: 'valid', imported: 3, rejectedLines: 6 });
    });

    it('reports a missing required column on line 1', async () => {
      const res = await upload(people.countyAdmin, Buffer.from(`编码,名称,书记\n${uniq()},某党支部,张三\n`), 'x.csv').expect(400);
      expect(res.body.code).toBe('IMPORT_INVALID');
      expect(res.body.details.rejected.map((p: { line: number; field: string }) => [p.line, p.field])).toEqual([
        [1, '类型'],
        [1, '所在村（社区）或乡镇编码'],
      ]);
    });

    it('refuses what is not CSV or XLSX (400), a file over 5 MB (413), no file (400), no token (401), another role (403)', async () => {
      const notCsv = await upload(people.countyAdmin, Buffer.from('hello'), 'orgs.txt').expect(400);
      expect(notCsv.body.code).toBe('IMPORT_FILE_TYPE');
      // A file named .xlsx that is not a workbook.
      await upload(people.countyAdmin, Buffer.from('编码,名称'), 'orgs.xlsx').expect(400);

      const big = Buffer.alloc(5 * 1024 * 1024 + 10, 'a');
      const tooBig = await upload(people.countyAdmin, big, 'big.csv').expect(413);
      expect(tooBig.body.code).toBe('PAYLOAD_TOO_LARGE');

      const none = await as(h.app, people.countyAdmin).post('/api/organizations/import').expect(400);
      expect(none.body.code).toBe('IMPORT_FILE_MISSING');
      const badMode = await upload(people.countyAdmin, Buffer.from('a'), 'a.csv', 'some' as 'all').expect(400);
      expect(badMode.body.code).toBe('VALIDATION_FAILED');

      await request(h.app.getHttpServer()).post('/api/organizations/import').attach('file', Buffer.from('a,b'), 'a.csv').expect(401);
      await upload(people.townshipSecretary, Buffer.from('a,b'), 'a.csv').expect(403);
    });
  });
});
