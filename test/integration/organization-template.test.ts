import { Workbook } from 'exceljs';
import type request from 'supertest';
import { as, signedInUser, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** The 党组织 page's 下载模板: the import's own headers, which the import reads back. */
describe('organization import template', () => {
  let h: Harness;
  let admin: TestUser;
  let secretary: TestUser;

  beforeAll(async () => {
    h = await startHarness();
    const { county, township } = await createRegionWithOrganizations(h.dataSource, 1);
    admin = await signedInUser(h.app, h.dataSource, 'county_org_admin', county.id);
    secretary = await signedInUser(h.app, h.dataSource, 'township_party_secretary', township.id);
  }, 120000);
  afterAll(async () => h?.close());

  it('downloads the template with the import headers, which the import reads; a township secretary is refused', async () => {
    const res = await as(h.app, admin).get('/api/organizations/import/template.xlsx').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-disposition']).toContain('organizations-template.xlsx');
    const book = new Workbook();
    await book.xlsx.load(res.body as Parameters<typeof book.xlsx.load>[0]);
    expect(book.worksheets[0].getRow(1).values).toEqual([undefined, '编码', '名称', '类型', '所在村（社区）或乡镇编码', '书记']);

    // Sent back as it is, every row is read: the refusals name the example's region codes, not the headers.
    const back = await as(h.app, admin).post('/api/organizations/import').attach('file', res.body as Buffer, 'template.xlsx').expect(400);
    expect(back.body.code).toBe('IMPORT_INVALID');
    const problems = back.body.details.rejected as { line: number; field: string }[];
    expect(problems.map((p) => p.line).sort()).toEqual([2, 3]);
    expect(problems.every((p) => p.field.includes('编码'))).toBe(true);

    await as(h.app, secretary).get('/api/organizations/import/template.xlsx').expect(403);
  });
});
