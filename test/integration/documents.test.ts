import request from 'supertest';
import { fromBufferPromise } from 'yauzl';
import { addDays, shanghaiDateOf, type EscalationRung } from '../../libs/domain';
import { AuditEntryEntity, EscalationEntity, type OrganizationEntity } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
import { addTownship, createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook, todayInShanghai } from '../support/http-playbook';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** The text of word/document.xml, as Word shows it: the runs' text joined, entities decoded. */
async function documentText(docx: Buffer): Promise<string> {
  const zip = await fromBufferPromise(docx, { lazyEntries: true });
  let xml = '';
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName !== 'word/document.xml') continue;
    const chunks: Buffer[] = [];
    for await (const c of await zip.openReadStreamPromise(entry)) chunks.push(c as Buffer);
    xml = Buffer.concat(chunks).toString('utf8');
  }
  zip.close();
  expect(xml).toContain('<w:document');
  const text = [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

describe('county documents: 督办单, 通报, 约谈通知书 (issue 18 item 4)', () => {
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let other: Awaited<ReturnType<typeof addTownship>>;
  let people: Personas;
  let stranger: TestUser;
  const year = Number(todayInShanghai().slice(0, 4));
  const today = todayInShanghai();
  let cases: HttpPlaybook[];

  const escalate = async (c: HttpPlaybook, org: OrganizationEntity, rung: EscalationRung, tag: string, title = `为${org.name}选配合格的党支部书记`) => {
    const repo = h.dataSource.getRepository(EscalationEntity);
    const saved = await repo.save(
      repo.create({
        key: `${c.caseId}:secretary:${rung}:${tag}`,
        caseId: c.caseId,
        countyId: org.countyId,
        townshipId: org.townshipId,
        organizationName: org.name,
        deadlineKey: 'secretary',
        kind: 'secretary',
        rung,
        title,
        reason: `选配党支部书记已逾期${rung === 'interview' ? 30 : 15}天`,
        deadline: addDays(today, rung === 'interview' ? -30 : -15),
        daysOverdue: rung === 'interview' ? 30 : 15,
        recipients: { recipients: [], userIds: [] },
        raisedAt: new Date(),
      }),
    );
    return saved.id;
  };

  /** The county's next document number this year: one sequence for every kind of document. */
  const nextNumber = async (): Promise<number> => {
    const [{ next }] = await h.dataSource.query(`SELECT COALESCE(MAX(number), 0) + 1 AS next FROM document_number WHERE county_id = $1 AND year = $2`, [orgs.county.id, year]);
    return Number(next);
  };
  const numbered = (n: number) => `测组通〔${year}〕${n}号`;

  const download = async (user: TestUser, path: string, body?: object) => {
    const req = body ? as(h.app, user).post(path).send(body) : as(h.app, user).post(path);
    const res = await req.buffer(true).parse(binary);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${(res.body as Buffer).toString('utf8')}`);
    expect(res.headers['content-type']).toBe(DOCX);
    return { text: await documentText(res.body as Buffer), disposition: String(res.headers['content-disposition']) };
  };

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 3);
    other = await addTownship(h.dataSource, orgs.county);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
    const strangerCounty = await createRegionWithOrganizations(h.dataSource, 1);
    stranger = await signedInUser(h.app, h.dataSource, 'county_org_admin', strangerCounty.county.id, { name: '外县组织部' });
    cases = [];
    for (const org of orgs.organizations) cases.push(await HttpPlaybook.designate(h.app, h.dataSource, people, org, year));
    cases.push(await HttpPlaybook.designate(h.app, h.dataSource, people, other.organization, year));
    await as(h.app, people.countyAdmin)
      .put('/api/documents/letterhead')
      .send({ issuingBody: '中共测试县委组织部', numberPrefix: '测组通', redHeaderTitle: '中共测试县委组织部文件', contactPerson: '李干事', contactPhone: '0551-1234567' })
      .expect(200);
  }, 240000);
  afterAll(() => h?.close());

  it('keeps the letterhead per county, with defaults until saved, and audits the change', async () => {
    const mine = await as(h.app, people.countyAdmin).get('/api/documents/letterhead').expect(200);
    expect(mine.body).toMatchObject({ issuingBody: '中共测试县委组织部', numberPrefix: '测组通', contactPerson: '李干事', updatedByName: people.countyAdmin.name, numberExample: `测组通〔${year}〕1号` });
    const theirs = await as(h.app, stranger).get('/api/documents/letterhead').expect(200);
    expect(theirs.body.updatedAt).toBeNull();
    expect(theirs.body.issuingBody).toMatch(/组织部$/);
    const audit = await h.dataSource.getRepository(AuditEntryEntity).findBy({ action: 'letterhead.updated', actorId: people.countyAdmin.id });
    expect(audit).toHaveLength(1);
    await as(h.app, people.countyAdmin).put('/api/documents/letterhead').send({ issuingBody: ' ', numberPrefix: '测组通' }).expect(400);
    await as(h.app, people.townshipSecretary).put('/api/documents/letterhead').send({ issuingBody: '某镇', numberPrefix: '某' }).expect(403);
  });

  it('a 督办单 names the organization, the rung and the county letterhead; the same one keeps its number, the next one gets the next number', async () => {
    const first = await escalate(cases[0], orgs.organizations[0], 'supervision', 'a');
    const second = await escalate(cases[1], orgs.organizations[1], 'supervision', 'b');
    const n = await nextNumber();
    const a = await download(people.countyAdmin, `/api/documents/escalations/${first}/supervision-order.docx`);
    expect(a.text).toContain('中共测试县委组织部文件');
    expect(a.text).toContain(numbered(n));
    expect(a.text).toContain('督　办　单');
    expect(a.text).toContain(`${orgs.township.name}党委`);
    expect(a.text).toContain(orgs.organizations[0].name);
    expect(a.text).toContain('现予以督办');
    expect(a.text).toContain('逾期天数15天');
    expect(a.text).toContain('联系人：李干事');
    expect(a.disposition).toContain(encodeURIComponent('督办单'));

    const again = await download(people.countyAdmin, `/api/documents/escalations/${first}/supervision-order.docx`);
    expect(again.text).toContain(numbered(n));
    const next = await download(people.countyAdmin, `/api/documents/escalations/${second}/supervision-order.docx`);
    expect(next.text).toContain(numbered(n + 1));
    expect(next.text).toContain(orgs.organizations[1].name);

    // Every issuing is audited, the second download of the same one as such, on the case.
    const audit = await h.dataSource.getRepository(AuditEntryEntity).find({ where: { action: 'document.issued', caseId: cases[0].caseId }, order: { occurredAt: 'ASC' } });
    expect(audit.map((e) => [e.payload.numberText, e.payload.reissued])).toEqual([
      [numbered(n), false],
      [numbered(n), true],
    ]);
    // A 约谈通知书 is only for a 约谈.
    const refused = await as(h.app, people.countyAdmin).post(`/api/documents/escalations/${first}/interview-notice.docx`).expect(409);
    expect(refused.body).toMatchObject({ code: 'DOCUMENT_WRONG_RUNG', message: expect.stringContaining('约谈通知书') });
  });

  it('numbers never repeat when documents are asked for at the same moment', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await escalate(cases[2], orgs.organizations[2], 'supervision', `c${i}`, `第${i}项逾期事项`));
    const docs = await Promise.all(ids.map((id) => download(people.countyAdmin, `/api/documents/escalations/${id}/supervision-order.docx`)));
    const numbers = docs.map((d) => Number(new RegExp(`测组通〔${year}〕(\\d+)号`).exec(d.text)?.[1]));
    expect(new Set(numbers).size).toBe(5);
    // No gap and no repeat in the county's one sequence, whatever was issued before.
    const rows: { number: number }[] = await h.dataSource.query(`SELECT number FROM document_number WHERE county_id = $1 AND year = $2 ORDER BY number`, [orgs.county.id, year]);
    expect(rows.map((r) => r.number)).toEqual(rows.map((_r, i) => i + 1));
  });

  it('a 约谈通知书 summons the township party secretary, leaves time and place to fill, and gives the reason', async () => {
    const id = await escalate(cases[0], orgs.organizations[0], 'interview', 'i');
    // Under the county's one prefix a 约谈通知书 takes the next number after any 督办单 or 通报: never a number
    // another kind already printed.
    await download(people.countyAdmin, `/api/documents/escalations/${await escalate(cases[0], orgs.organizations[0], 'supervision', 'j')}/supervision-order.docx`);
    const n = await nextNumber();
    const doc = await download(people.countyAdmin, `/api/documents/escalations/${id}/interview-notice.docx`);
    expect(doc.text).toContain('约 谈 通 知 书');
    expect(doc.text).toContain(numbered(n));
    expect(n).toBeGreaterThan(1);
    expect(doc.text).toContain(`${orgs.township.name}党委书记 ${people.townshipSecretary.name}`);
    expect(doc.text).toContain(`约谈人：县委书记 ${people.countySecretary.name}`);
    expect(doc.text).toContain('约谈时间：');
    expect(doc.text).toContain('约谈地点：');
    expect(doc.text).toContain('已逾期30天');
    expect(doc.text).toContain('决定对你进行约谈');
    await as(h.app, people.countyAdmin).post(`/api/documents/escalations/${id}/supervision-order.docx`).expect(409);
  });

  it('a 通报 lists the organizations, their townships, what is overdue and since when; the same set keeps its number', async () => {
    const a = await escalate(cases[1], orgs.organizations[1], 'public_notice', 'p');
    const b = await escalate(cases[3], other.organization, 'public_notice', 'q');
    const n = await nextNumber();
    const doc = await download(people.countyAdmin, '/api/documents/bulletin', { escalationIds: [a, b] });
    expect(doc.text).toContain(numbered(n));
    expect(doc.text).toMatch(/关于.+等2个基层党组织整顿工作逾期情况的通报/);
    for (const name of [orgs.organizations[1].name, other.organization.name, orgs.township.name, other.township.name]) expect(doc.text).toContain(name);
    expect(doc.text).toContain('通报');
    expect(doc.text).toContain('15天');
    expect(doc.text).toContain(`期限${Number(addDays(today, -15).slice(0, 4))}年`);
    expect(doc.text).toContain(`${shanghaiDateOf(Date.now()).slice(0, 4)}年`);

    const same = await download(people.countyAdmin, '/api/documents/bulletin', { escalationIds: [b, a] });
    expect(same.text).toContain(numbered(n));
    // A batch by filter: the other township's open 通报 rungs, a different set, the next number.
    const byFilter = await download(people.countyAdmin, '/api/documents/bulletin', { rung: 'public_notice', townshipId: other.township.id });
    expect(byFilter.text).toContain(numbered(n + 1));
    expect(byFilter.text).toContain(other.organization.name);
    expect(byFilter.text).not.toContain(orgs.organizations[1].name);
    const none = await as(h.app, people.countyAdmin).post('/api/documents/bulletin').send({ rung: 'public_notice', status: 'resolved' }).expect(404);
    expect(none.body.code).toBe('DOCUMENT_NOTHING_TO_LIST');
  });

  it("answers 404 to another county's organization department, 403 to a township, and gives out no number", async () => {
    const id = await escalate(cases[1], orgs.organizations[1], 'supervision', 'x');
    const before = Number((await h.dataSource.query(`SELECT count(*) AS n FROM document_number WHERE county_id = $1`, [orgs.county.id]))[0].n);
    await as(h.app, stranger).post(`/api/documents/escalations/${id}/supervision-order.docx`).expect(404);
    await as(h.app, stranger).post(`/api/documents/escalations/${id}/interview-notice.docx`).expect(404);
    const bulletin = await as(h.app, stranger).post('/api/documents/bulletin').send({ escalationIds: [id] }).expect(404);
    expect(bulletin.body.code).toBe('ESCALATION_NOT_FOUND');
    await as(h.app, people.townshipSecretary).post(`/api/documents/escalations/${id}/supervision-order.docx`).expect(403);
    await as(h.app, stranger).post('/api/documents/escalations/not-an-id/supervision-order.docx').expect(404);
    const after = Number((await h.dataSource.query(`SELECT count(*) AS n FROM document_number WHERE county_id = $1`, [orgs.county.id]))[0].n);
    expect(after).toBe(before);
  });
});
