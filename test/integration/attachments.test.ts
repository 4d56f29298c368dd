import { Workbook } from 'exceljs';
import exifr from 'exifr';
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { auditSentence } from '../../libs/domain';
import { binary, docx, pdf, photoWithGps, png, windowsProgram, xlsx } from '../support/attachment-files';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
import { addTownship, createRegionWithOrganizations, startHarness, testConfig, type Harness } from '../support/harness';
import { HttpPlaybook } from '../support/http-playbook';

const MB = 1024 * 1024;

/**
 * Evidence people can see (issue 20): files attached to a case's records, checked by their content,
 * photos re-encoded without their location and given thumbnails, under a per-file and a per-case cap
 * (2 MB and 5 MB here), within the case's region scope, every upload and removal audited.
 */
describe('attachments (POST/GET/DELETE /api/cases/:id/attachments)', () => {
  let h: Harness;
  let people: Personas;
  let play: HttpPlaybook;
  let visitId: string;
  let outsider: TestUser;

  beforeAll(async () => {
    h = await startHarness(testConfig({ ATTACHMENT_MAX_FILE_MB: '2', ATTACHMENT_MAX_CASE_MB: '5' }));
    const home = await createRegionWithOrganizations(h.dataSource, 1);
    people = await personas(h.app, h.dataSource, { countyId: home.county.id, townshipId: home.township.id, villageId: home.organizations[0].regionId });
    const other = await addTownship(h.dataSource, home.county);
    outsider = await signedInUser(h.app, h.dataSource, 'township_party_secretary', other.township.id, { name: '邻镇书记' });
    play = await HttpPlaybook.designate(h.app, h.dataSource, people, home.organizations[0], 2026);
    await play.assignLeader();
    const state = await play.visit();
    visitId = state.visits[0].id;
  });
  afterAll(() => h?.close());

  const base = () => `/api/cases/${play.caseId}/attachments`;
  const upload = (user: TestUser, file: Buffer, name: string, subjectKind = 'visit', subjectKey = visitId) =>
    as(h.app, user).post(base()).field('subjectKind', subjectKind).field('subjectKey', subjectKey).attach('file', file, name);
  const download = (user: TestUser, id: string, suffix = '') => as(h.app, user).get(`${base()}/${id}${suffix}`).buffer(true).parse(binary);

  /** What a refused upload must leave as it was: the case's attachments, their content rows and the audit entries of uploads. */
  const footprint = async () => {
    const [row] = await h.dataSource.query(
      `SELECT (SELECT count(*) FROM attachment WHERE case_id = $1)::int AS attachments,
              (SELECT count(*) FROM attachment_chunk c JOIN attachment a ON a.id = c.attachment_id WHERE a.case_id = $1)::int AS chunks,
              (SELECT count(*) FROM attachment_chunk c WHERE NOT EXISTS (SELECT 1 FROM attachment a WHERE a.id = c.attachment_id))::int AS orphans,
              (SELECT count(*) FROM audit_entry WHERE case_id = $1 AND action = 'attachment.uploaded')::int AS audited`,
      [play.caseId],
    );
    return row as { attachments: number; chunks: number; orphans: number; audited: number };
  };

  it('keeps one of each kind — photo, PNG, PDF, Word, Excel — by its content, and gives back the same bytes (Office and PDF untouched)', async () => {
    const files: [string, Buffer, string, string][] = [
      ['走访照片.jpg', await photoWithGps(), 'image/jpeg', '照片'],
      ['活动阵地.png', await png(), 'image/png', '图片'],
      ['任职通知.pdf', pdf(), 'application/pdf', 'PDF'],
      ['会议记录.docx', await docx(), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'Word 文档'],
      ['整改台账.xlsx', await xlsx(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Excel 表格'],
    ];
    for (const [name, content, mime, typeLabel] of files) {
      const res = await upload(people.countyLeader, content, name);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ name, mime, typeLabel, subjectKind: 'visit', subjectKey: visitId, subjectLabel: '调研指导', uploadedByName: '县级领导' });
      const back = await download(people.townshipSecretary, res.body.id).expect(200);
      expect(back.headers['content-type']).toContain(mime);
      expect(back.headers['x-content-type-options']).toBe('nosniff');
      expect(back.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(name)}`);
      expect(createHash('sha256').update(back.body).digest('hex')).toBe(res.body.sha256);
      if (!mime.startsWith('image/')) expect(Buffer.compare(back.body, content)).toBe(0);
    }
    const list = await as(h.app, people.teamMember).get(base()).expect(200);
    expect(list.body.map((a: { name: string }) => a.name)).toEqual(files.map(([name]) => name));
    // Each upload is in the audit trail, in words.
    const audited = await h.dataSource.query(`SELECT action, payload, actor, actor_role FROM audit_entry WHERE case_id = $1 AND action = 'attachment.uploaded' ORDER BY occurred_at`, [play.caseId]);
    expect(audited).toHaveLength(files.length);
    const sentence = auditSentence({ occurredAt: new Date().toISOString(), action: 'attachment.uploaded', payload: audited[0].payload, actor: { name: audited[0].actor, role: audited[0].actor_role }, organizationName: null });
    expect(sentence).toContain('上传了调研指导的附件「走访照片.jpg」');
  });

  it('re-encodes a photo without its GPS position and makes a thumbnail of at most 320 px', async () => {
    const photo = await photoWithGps();
    expect(await exifr.gps(photo)).toMatchObject({ latitude: expect.closeTo(31.23, 2), longitude: expect.closeTo(121.47, 2) });
    const res = await upload(people.teamLeader, photo, '入户走访.jpg').expect(201);
    expect(res.body).toMatchObject({ isImage: true, hasThumbnail: true });

    const stored = (await download(people.countyAdmin, res.body.id).expect(200)).body as Buffer;
    expect(await exifr.gps(stored)).toBeUndefined();
    expect(await sharp(stored).metadata()).toMatchObject({ format: 'jpeg', width: 1600, height: 1200 });

    const thumb = await download(people.countyAdmin, res.body.id, '/thumbnail').expect(200);
    expect(thumb.headers['content-type']).toContain('image/jpeg');
    const meta = await sharp(thumb.body as Buffer).metadata();
    expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(320);
    expect(await exifr.gps(thumb.body as Buffer)).toBeUndefined();
    // A PDF has no thumbnail.
    const doc = await upload(people.teamLeader, pdf(), '说明.pdf').expect(201);
    expect(doc.body.hasThumbnail).toBe(false);
    await download(people.countyAdmin, doc.body.id, '/thumbnail').expect(404);
  });

  it('refuses a Windows program renamed .jpg with 422 naming what it is, and keeps nothing of it', async () => {
    const before = await footprint();
    const res = await upload(people.teamLeader, windowsProgram(), '现场照片.jpg');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ statusCode: 422, code: 'ATTACHMENT_TYPE_NOT_ALLOWED', details: { detected: 'exe', fileName: '现场照片.jpg' } });
    expect(res.body.message).toContain('实为 exe 文件');
    expect(await footprint()).toEqual(before);
  });

  it('refuses a file over the per-file limit, and one that would take the case past its total, with 413 and nothing kept', async () => {
    const before = await footprint();
    const big = await upload(people.teamLeader, pdf(3 * MB), '扫描件.pdf');
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: 2 * MB } });
    expect(big.body.message).toContain('ATTACHMENT_MAX_FILE_MB');
    expect(await footprint()).toEqual(before);

    // 1.9 MB each: the case holds under 1 MB so far, so two pass and the third would pass 5 MB.
    await upload(people.teamLeader, pdf(1.9 * MB), '合同1.pdf').expect(201);
    await upload(people.teamLeader, pdf(1.9 * MB), '合同2.pdf').expect(201);
    const middle = await footprint();
    const full = await upload(people.teamLeader, pdf(1.9 * MB), '合同3.pdf');
    expect(full.status).toBe(413);
    expect(full.body).toMatchObject({ code: 'ATTACHMENT_CASE_QUOTA_EXCEEDED', details: { limitBytes: 5 * MB } });
    expect(await footprint()).toEqual(middle);
  });

  it('answers a township outsider 404 for the list, a download and a thumbnail, as if the case did not exist', async () => {
    const [first] = (await as(h.app, people.countyAdmin).get(base()).expect(200)).body as { id: string }[];
    await as(h.app, outsider).get(base()).expect(404);
    const res = await download(outsider, first.id);
    expect(res.status).toBe(404);
    expect(res.body.toString()).toContain('CASE_NOT_FOUND');
    await download(outsider, first.id, '/thumbnail').expect(404);
    await upload(outsider, pdf(), '越权.pdf').expect(404);
  });

  it('attaches only to a record the case has', async () => {
    const res = await upload(people.teamLeader, pdf(), '说明.pdf', 'visit', 'no-such-visit');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('ATTACHMENT_SUBJECT_NOT_FOUND');
    const bad = await upload(people.teamLeader, pdf(), '说明.pdf', 'nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('lists the attachments in the ledger export 证明材料清单: record, file, type, uploader and when', async () => {
    const res = await as(h.app, people.countyAdmin).get('/api/exports/attachments.xlsx?batchYear=2026').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('证明材料清单-2026.xlsx'));
    const book = new Workbook();
    await book.xlsx.load(res.body as Parameters<typeof book.xlsx.load>[0]);
    const sheet = book.worksheets[0];
    const rows: string[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString() : String(v ?? '')))));
    const header = rows.find((r) => r.includes('文件名'))!;
    expect(header).toEqual(['乡镇（街道）', '基层党组织', '证明事项', '所属记录', '文件名', '文件类型', '大小（KB）', '上传人', '上传人身份', '上传时间']);
    const photo = rows.find((r) => r[4] === '走访照片.jpg')!;
    expect(photo.slice(2, 6)).toEqual(['调研指导', expect.stringContaining('村党群服务中心'), '走访照片.jpg', '照片']);
    expect(photo.slice(7, 9)).toEqual(['县级领导', '县级领导']);
    expect(rows.find((r) => r[4] === '会议记录.docx')?.[5]).toBe('Word 文档');
    // Refused files are not listed; nor are another county's.
    expect(rows.some((r) => r[4] === '现场照片.jpg' || r[4] === '扫描件.pdf')).toBe(false);
  });

  it('removes an attachment softly, with a reason in the audit trail; only its uploader or the county may', async () => {
    const res = await upload(people.teamLeader, pdf(), '误传.pdf').expect(201);
    await as(h.app, people.teamMember).delete(`${base()}/${res.body.id}`).send({ reason: '不是我的' }).expect(403);
    await as(h.app, people.teamLeader).delete(`${base()}/${res.body.id}`).send({ reason: '传错了文件' }).expect(204);
    const list = (await as(h.app, people.countyAdmin).get(base()).expect(200)).body as { id: string }[];
    expect(list.map((a) => a.id)).not.toContain(res.body.id);
    await download(people.countyAdmin, res.body.id).expect(404);
    const [kept] = await h.dataSource.query(`SELECT removal_reason, removed_by_name FROM attachment WHERE id = $1`, [res.body.id]);
    expect(kept).toEqual({ removal_reason: '传错了文件', removed_by_name: '工作队队长' });
    const [entry] = await h.dataSource.query(`SELECT payload, actor, actor_role FROM audit_entry WHERE case_id = $1 AND action = 'attachment.removed'`, [play.caseId]);
    expect(auditSentence({ occurredAt: new Date().toISOString(), action: 'attachment.removed', payload: entry.payload, actor: { name: entry.actor, role: entry.actor_role }, organizationName: null })).toContain(
      '移除了调研指导的附件「误传.pdf」（传错了文件）',
    );
    await as(h.app, people.countyAdmin).delete(`${base()}/${res.body.id}`).send({ reason: '再删一次' }).expect(409);
  });
});
