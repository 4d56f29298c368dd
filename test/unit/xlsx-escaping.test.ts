import { Workbook } from 'exceljs';
import { buildWorkbook, safeText, type SheetColumn } from '../../apps/api/src/exports/xlsx';

/**
 * Exported text that a spreadsheet program would take for a formula once a cell is edited or the
 * sheet saved as CSV stays text: it begins with ' (issue 15, finding 8; OWASP CSV injection).
 */
describe('formula-looking text in exported spreadsheets', () => {
  const dangerous = ['=HYPERLINK("http://x","y")', '+1', '-1+1', '@SUM(A1:A9)', '\t=1+1', '\r=1+1', '=', '-'];
  const harmless = ['东关村党支部', 'a=b', '1-1', ' =1', '', '（=1）', '第-1行'];

  it("puts ' before text beginning with = + - @ tab or carriage return, and leaves other text alone", () => {
    for (const text of dangerous) expect(safeText(text)).toBe(`'${text}`);
    for (const text of harmless) expect(safeText(text)).toBe(text);
  });

  interface Item {
    name: string;
    count: number;
    day: Date | null;
  }
  const columns: SheetColumn<Item>[] = [
    { header: '名称', value: (i) => i.name },
    { header: '数量', kind: 'number', value: (i) => i.count },
    { header: '日期', kind: 'date', value: (i) => i.day },
  ];

  it('reads back as text starting with \' from a built workbook; numbers, negative ones too, stay numbers', async () => {
    const day = new Date(Date.UTC(2026, 2, 1));
    const items: Item[] = [...dangerous, ...harmless].map((name, i) => ({ name, count: -i - 1, day }));
    const wb = new Workbook();
    await wb.xlsx.load((await buildWorkbook('测试', columns, items)) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    items.forEach((item, i) => {
      const row = ws.getRow(i + 2);
      const name = row.getCell(1).value;
      // XML reads a carriage return back as a line feed; what matters is the leading '.
      if (dangerous.includes(item.name)) expect(name).toBe(`'${item.name}`.replace(/\r/g, '\n'));
      else expect(name ?? '').toBe(item.name);
      expect(typeof name === 'string' ? name : '').not.toMatch(/^[=+\-@\t\r]/);
      expect(row.getCell(2).value).toBe(-i - 1);
      expect(row.getCell(3).value).toEqual(day);
    });
  });

  it('escapes a header made from data (e.g. a township name) as well', async () => {
    const wb = new Workbook();
    await wb.xlsx.load((await buildWorkbook('测试', [{ header: '=1+1', value: () => 'x' }], [{}])) as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe("'=1+1");
  });
});
