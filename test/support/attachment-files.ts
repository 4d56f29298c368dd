import { Document, Packer, Paragraph } from 'docx';
import { Workbook } from 'exceljs';
import sharp from 'sharp';
import type { Response } from 'superagent';

/** Test files of each kind an attachment may be, made here rather than checked in. */

/** A photo of the meeting, with GPS tags (near 上海) in its EXIF, as a phone writes them. */
export function photoWithGps(width = 1600, height = 1200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 180, g: 40, b: 40 } } })
    .jpeg({ quality: 85 })
    .withExif({ IFD0: { Make: 'TestPhone', Model: 'Camera' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 14/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 0/1' } })
    .toBuffer();
}

export function png(): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 300, channels: 4, background: { r: 20, g: 120, b: 200, alpha: 1 } } }).png().toBuffer();
}

/** A minimal PDF written by hand (one empty page); `padding` bytes of a comment make it as large as wanted. */
export function pdf(padding = 0): Buffer {
  const body = '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n';
  const tail = 'trailer\n<< /Root 1 0 R >>\n%%EOF\n';
  return Buffer.concat([Buffer.from(body), Buffer.alloc(padding, 0x20), Buffer.from(tail)]);
}

export function docx(): Promise<Buffer> {
  return Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('党员大会会议记录'), new Paragraph('到会党员 23 名')] }] }));
}

export async function xlsx(): Promise<Buffer> {
  const book = new Workbook();
  const sheet = book.addWorksheet('整改台账');
  sheet.addRow(['措施', '责任人', '进度']);
  sheet.addRow(['规范三会一课', '张科', '100%']);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A Windows program (an MZ header and a PE signature), to be renamed 现场照片.jpg. */
export function windowsProgram(): Buffer {
  const exe = Buffer.alloc(1024);
  exe.write('MZ', 0, 'latin1');
  exe.writeUInt32LE(0x80, 0x3c);
  exe.write('PE\0\0', 0x80, 'latin1');
  return exe;
}

/** superagent's parser for any binary answer: the bytes as a Buffer. */
export function binary(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const parts: Buffer[] = [];
  res.on('data', (c: Buffer) => parts.push(c));
  res.on('end', () => done(null, Buffer.concat(parts)));
}
