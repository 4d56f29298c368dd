import { Workbook, type Worksheet } from 'exceljs';
import type request from 'supertest';
import { as, personas, type Personas, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook, todayInShanghai } from '../support/http-playbook';

/** Collects a binary response body. */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** The texts of the column under `header`, below the header row. */
function column(ws: Worksheet, header: string): unknown[] {
  const at = (ws.getRow(1).values as unknown[]).indexOf(header);
  expect(at).toBeGreaterThan(0);
  const out: unknown[] = [];
  for (let i = 2; i <= ws.rowCount; i++) out.push(ws.getRow(i).getCell(at).value);
  return out;
}

/**
 * An organization named like a formula is exported as text that stays text (issue 15, finding 8):
 * the name begins with ' in every spreadsheet, so Excel shows it and never evaluates it, even after
 * the cell is edited or the sheet is saved as CSV.
 */
describe('formula-looking names in exported spreadsheets', () => {
  let h: Harness;
  let people: Personas;
  const year = Number(todayInShanghai().slice(0, 4));
  const names = ['=HYPERLINK("http://x","y")', '+1', '-1+1', '@SUM(A1:A9)'];

  beforeAll(async () => {
    h = await startHarness();
    const home = await createRegionWithOrganizations(h.dataSource, names.length);
    people = await personas(h.app, h.dataSource, { countyId: home.county.id, townshipId: home.township.id, villageId: home.organizations[0].regionId });
    for (const [i, org] of home.organizations.entries()) {
      // The county organization department may name an organization anything; the name is kept as given.
      const renamed = await as(h.app, people.countyAdmin).patch(`/api/organizations/${org.id}`).send({ name: names[i] }).expect(200);
      expect(renamed.body.name).toBe(names[i]);
      await HttpPlaybook.designate(h.app, h.dataSource, people, { ...org, name: names[i] }, year);
    }
  }, 240000);
  afterAll(() => h?.close());

  const download = async (user: TestUser, path: string): Promise<Worksheet> => {
    const res = await as(h.app, user).get(path).buffer(true).parse(binary).expect(200);
    const wb = new Workbook();
    await wb.xlsx.load(res.body as Parameters<typeof wb.xlsx.load>[0]);
    return wb.worksheets[0];
  };

  it("the ledger names each organization with a leading '", async () => {
    const ws = await download(people.countyAdmin, `/api/exports/ledger.xlsx?batchYear=${year}`);
    expect(column(ws, '基层党组织').sort()).toEqual(names.map((n) => `'${n}`).sort());
  });

  it("the batch's spreadsheet too, and its counts stay numbers", async () => {
    const ws = await download(people.countyAdmin, `/api/batches/${year}/export.xlsx`);
    expect(column(ws, '基层党组织').sort()).toEqual(names.map((n) => `'${n}`).sort());
    for (const v of column(ws, '待办')) expect(typeof v).toBe('number');
  });
});
