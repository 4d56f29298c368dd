import { Readable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';

/**
 * Zip bombs shaped as .xlsx files, built by hand so a test can make the zip's directory say what it
 * likes. The content is generated and deflated as a stream: a 200 MB sheet costs the test a few
 * hundred kilobytes of memory, not 200 MB.
 */

/** One entry of a zip: its name, its content as chunks, and (to lie) the size its headers declare. */
export interface ZipPart {
  name: string;
  content: () => Iterable<string>;
  declaredSize?: number;
}

interface Deflated {
  compressed: Buffer;
  crc: number;
  size: number;
}

async function deflate(content: Iterable<string>): Promise<Deflated> {
  let crc = 0;
  let size = 0;
  const counted = function* () {
    for (const text of content) {
      const chunk = Buffer.from(text, 'utf8');
      crc = crc32(chunk, crc);
      size += chunk.length;
      yield chunk;
    }
  };
  const out: Buffer[] = [];
  for await (const piece of Readable.from(counted()).pipe(createDeflateRaw({ level: 9 }))) out.push(piece as Buffer);
  return { compressed: Buffer.concat(out), crc, size };
}

/** A zip of deflated parts, each declaring its real size unless it says otherwise. */
export async function buildZip(parts: ZipPart[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const { compressed, crc, size } = await deflate(part.content());
    const declared = part.declaredSize ?? size;
    const name = Buffer.from(part.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 10); // time, date
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const once = (text: string) => () => [text];

/** The parts every workbook has, around a first sheet and optional shared strings. */
function workbookParts(sheet: ZipPart, sharedStrings?: ZipPart): ZipPart[] {
  return [
    {
      name: '[Content_Types].xml',
      content: once(
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      content: once(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      content: once(
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
          '<sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      content: once(
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
    },
    ...(sharedStrings ? [sharedStrings] : []),
    sheet,
  ];
}

const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';

/**
 * `bytes` (roughly) of one row repeated, as the 610 kB → 209 MB file had. Excel would number
 * each row; the same number repeated keeps the deflate ratio near its 1000:1 best.
 */
function* manyRows(bytes: number): Generator<string> {
  yield SHEET_HEAD;
  const row = '<row r="2"><c r="A2" t="inlineStr"><is><t>T0001</t></is></c><c r="B2" t="inlineStr"><is><t>某村党支部</t></is></c></row>';
  const block = row.repeat(Math.ceil((1024 * 1024) / row.length));
  for (let written = 0; written < bytes; written += block.length) yield block;
  yield SHEET_TAIL;
}

/** A workbook whose one sheet is `sheetBytes` of rows, declared honestly in the zip's directory. */
export function rowsBomb(sheetBytes: number): Promise<Buffer> {
  return buildZip(workbookParts({ name: 'xl/worksheets/sheet1.xml', content: () => manyRows(sheetBytes) }));
}

/**
 * A workbook whose shared strings hold one string of `bytes` letters while the directory declares
 * 1 kB: only counting the bytes as they inflate catches it.
 */
export function lyingStringBomb(bytes: number): Promise<Buffer> {
  const content = function* () {
    yield '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>';
    const block = 'A'.repeat(1024 * 1024);
    for (let written = 0; written < bytes; written += block.length) yield block;
    yield '</t></si></sst>';
  };
  return buildZip(
    workbookParts(
      { name: 'xl/worksheets/sheet1.xml', content: once(`${SHEET_HEAD}<row r="1"><c r="A1" t="s"><v>0</v></c></row>${SHEET_TAIL}`) },
      { name: 'xl/sharedStrings.xml', content, declaredSize: 1024 },
    ),
  );
}
