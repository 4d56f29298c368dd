import { HttpStatus, Inject, Injectable, mixin, PayloadTooLargeException, type CallHandler, type ExecutionContext, type NestInterceptor, type Type } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { parse as parseCsv } from 'csv-parse';
import { stream as excelStream, type CellValue as ExcelCellValue, type Row as ExcelRow } from 'exceljs';
import { isUtf8 } from 'node:buffer';
import { Readable, Transform, pipeline } from 'node:stream';
import type { Observable } from 'rxjs';
import { fromBufferPromise, type Entry, type ZipFile } from 'yauzl';
import type { AppConfig } from '../../../../libs/config';
import { APP_CONFIG } from '../config/config.module';
import { ApiException } from './api.exception';

/**
 * Reading an uploaded spreadsheet (.xlsx or .csv) under caps, for every import: the upload's size
 * (multer stops buffering at it), what an .xlsx expands to (the zip's declared sizes summed before
 * anything is inflated, and the inflated bytes counted while reading, since declared sizes can lie),
 * the rows, and — for the caller's answer — the problems listed. Rows are streamed and reading stops
 * at the first cap, so a zip bomb or a million-line CSV costs a few megabytes, not gigabytes.
 */

export type ImportLimits = AppConfig['imports'];

/** The file an import receives (multer, memory storage, at most IMPORT_MAX_FILE_MB). */
export interface UploadedSpreadsheet {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** One non-blank line of a sheet: its spreadsheet line number (first line = 1) and its cell texts. */
export interface SpreadsheetLine {
  line: number;
  cells: string[];
}

export type SpreadsheetKind = 'xlsx' | 'csv';

/** Columns read from each line; cells further right are ignored (a cell at column XFD cannot cost 16,384 cells a row). */
export const MAX_COLUMNS = 64;
/**
 * Blank lines read past before reading stops (413): a sheet may carry formatted empty rows, but each
 * costs the parser as much as a full one.
 */
export const MAX_BLANK_LINES = 65_536;
/** Entries of an .xlsx; Excel writes about a dozen. */
const MAX_ZIP_ENTRIES = 1000;
const CSV_CHUNK = 64 * 1024;

export enum SpreadsheetErrorCode {
  FileMissing = 'IMPORT_FILE_MISSING',
  FileType = 'IMPORT_FILE_TYPE',
  FileUnreadable = 'IMPORT_FILE_UNREADABLE',
  Empty = 'IMPORT_EMPTY',
  /** The same code as any other body over its limit. */
  FileTooLarge = 'PAYLOAD_TOO_LARGE',
  UncompressedTooLarge = 'IMPORT_UNCOMPRESSED_TOO_LARGE',
  TooManyRows = 'IMPORT_TOO_MANY_ROWS',
}

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** Errors of reading an uploaded spreadsheet, shared by every import. */
export class SpreadsheetException extends ApiException {
  static fileMissing(field: string): SpreadsheetException {
    return new SpreadsheetException(HttpStatus.BAD_REQUEST, SpreadsheetErrorCode.FileMissing, `请上传导入文件（字段 ${field}）`, `Upload the file in the multipart field "${field}"`);
  }

  static fileType(fileName: string): SpreadsheetException {
    return new SpreadsheetException(
      HttpStatus.BAD_REQUEST,
      SpreadsheetErrorCode.FileType,
      `只能导入 Excel（.xlsx）或 CSV（.csv）文件：${fileName}`,
      `Only .xlsx or .csv files can be imported: ${fileName}`,
      { fileName },
    );
  }

  static unreadable(fileName: string, why: string): SpreadsheetException {
    return new SpreadsheetException(HttpStatus.BAD_REQUEST, SpreadsheetErrorCode.FileUnreadable, `无法读取导入文件：${fileName}`, `The file cannot be read: ${why}`, { fileName });
  }

  static empty(): SpreadsheetException {
    return new SpreadsheetException(HttpStatus.BAD_REQUEST, SpreadsheetErrorCode.Empty, '导入文件没有数据行', 'The file has no data rows');
  }

  static fileTooLarge(limitBytes: number): SpreadsheetException {
    return new SpreadsheetException(
      HttpStatus.PAYLOAD_TOO_LARGE,
      SpreadsheetErrorCode.FileTooLarge,
      `导入文件超过 ${megabytes(limitBytes)} 上限（IMPORT_MAX_FILE_MB）`,
      `The file is larger than the limit of ${megabytes(limitBytes)}`,
      { limitBytes },
    );
  }

  /** declaredBytes: what the zip's directory claims; absent when the inflated bytes themselves went over. */
  static uncompressedTooLarge(limitBytes: number, declaredBytes?: number): SpreadsheetException {
    return new SpreadsheetException(
      HttpStatus.PAYLOAD_TOO_LARGE,
      SpreadsheetErrorCode.UncompressedTooLarge,
      `Excel 文件解压后超过 ${megabytes(limitBytes)} 上限（IMPORT_MAX_UNCOMPRESSED_MB），未导入任何数据`,
      `The workbook expands to more than ${megabytes(limitBytes)}; nothing was imported`,
      declaredBytes === undefined ? { limitBytes } : { limitBytes, declaredBytes },
    );
  }

  /** An entry that inflates to more than its declared size: a crafted file, refused like a bomb. */
  static sizeMismatch(limitBytes: number, entryName: string): SpreadsheetException {
    return new SpreadsheetException(
      HttpStatus.PAYLOAD_TOO_LARGE,
      SpreadsheetErrorCode.UncompressedTooLarge,
      `Excel 文件中的 ${entryName} 解压后大于其声明的大小，按超过 ${megabytes(limitBytes)} 上限（IMPORT_MAX_UNCOMPRESSED_MB）拒绝`,
      `${entryName} inflates to more than its declared size; refused`,
      { limitBytes, entry: entryName },
    );
  }

  static tooManyRows(limit: number): SpreadsheetException {
    return new SpreadsheetException(
      HttpStatus.PAYLOAD_TOO_LARGE,
      SpreadsheetErrorCode.TooManyRows,
      `导入文件超过 ${limit} 行数据上限（IMPORT_MAX_ROWS），请拆分后分批导入`,
      `The file has more than ${limit} data rows; split it`,
      { limit },
    );
  }

  static tooManyBlankLines(limit: number): SpreadsheetException {
    return new SpreadsheetException(
      HttpStatus.PAYLOAD_TOO_LARGE,
      SpreadsheetErrorCode.TooManyRows,
      `导入文件的空行超过 ${limit} 行，请删除空行后再导入`,
      `The file has more than ${limit} blank lines; remove them`,
      { blankLineLimit: limit },
    );
  }
}

/**
 * The upload interceptor of an import endpoint: multer in memory with IMPORT_MAX_FILE_MB as its file
 * size limit (it stops buffering there) and one file; an upload over it answers 413 naming the limit.
 */
export function SpreadsheetUploadInterceptor(field = 'file'): Type<NestInterceptor> {
  @Injectable()
  class SpreadsheetUpload implements NestInterceptor {
    private readonly multer: NestInterceptor;
    private readonly maxFileBytes: number;

    constructor(@Inject(APP_CONFIG) config: AppConfig) {
      this.maxFileBytes = config.imports.maxFileBytes;
      const Multer = FileInterceptor(field, { limits: { fileSize: this.maxFileBytes, files: 1, fields: 10, parts: 11, fieldSize: 64 * 1024 } });
      this.multer = new Multer();
    }

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      try {
        return await this.multer.intercept(context, next);
      } catch (e) {
        if (e instanceof PayloadTooLargeException) throw SpreadsheetException.fileTooLarge(this.maxFileBytes);
        throw e;
      }
    }
  }
  return mixin(SpreadsheetUpload);
}

/** The kind of an uploaded file, by its name and its first bytes; null when neither CSV nor XLSX. */
export function spreadsheetKind(fileName: string, buffer: Buffer): SpreadsheetKind | null {
  const ext = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase();
  const isZip = buffer.length >= 4 && buffer.readUInt32BE(0) === 0x504b0304;
  if (ext === 'xlsx') return isZip ? 'xlsx' : null;
  if (ext === 'csv') return isZip || buffer.includes(0) ? null : 'csv';
  return null;
}

/**
 * The non-blank lines of an uploaded file's first sheet (the header among them), at most
 * limits.maxRows data lines. Throws SpreadsheetException: 400 for no file, another type, an
 * unreadable or empty file; 413 for a file that expands or runs past the caps.
 */
export async function readSpreadsheet(file: UploadedSpreadsheet | undefined, limits: ImportLimits, field = 'file'): Promise<SpreadsheetLine[]> {
  if (!file) throw SpreadsheetException.fileMissing(field);
  const kind = spreadsheetKind(file.originalname, file.buffer);
  if (!kind) throw SpreadsheetException.fileType(file.originalname);

  const out: SpreadsheetLine[] = [];
  let blank = 0;
  try {
    for await (const line of kind === 'csv' ? csvLines(file.buffer) : xlsxLines(file.buffer, limits.maxUncompressedBytes)) {
      if (line.cells.every((c) => c.trim() === '')) {
        if (++blank > MAX_BLANK_LINES) throw SpreadsheetException.tooManyBlankLines(MAX_BLANK_LINES);
        continue;
      }
      // The header and maxRows data lines.
      if (out.length > limits.maxRows) throw SpreadsheetException.tooManyRows(limits.maxRows);
      out.push(line);
    }
  } catch (e) {
    if (e instanceof SpreadsheetException) throw e;
    throw SpreadsheetException.unreadable(file.originalname, e instanceof Error ? e.message : String(e));
  }
  if (out.length === 0) throw SpreadsheetException.empty();
  return out;
}

/** The first `max` items of a list, and how many were left out: what an answer lists of an import's problems. */
export function firstOf<T>(items: readonly T[], max: number): { listed: T[]; unlisted: number } {
  return { listed: items.slice(0, max), unlisted: Math.max(0, items.length - max) };
}

// ---------------------------------------------------------------------------------------------
// CSV

/** UTF-8 (with or without BOM); failing that GB18030, which is what Excel in China saves CSV as. */
function* decodedChunks(buffer: Buffer): Generator<string> {
  const decoder = new TextDecoder(isUtf8(buffer) ? 'utf-8' : 'gb18030');
  for (let at = 0; at < buffer.length; at += CSV_CHUNK) {
    const text = decoder.decode(buffer.subarray(at, at + CSV_CHUNK), { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/**
 * RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks), streamed. A record's line is
 * its row in a spreadsheet opened on the file: records and empty lines before it, plus one. Empty
 * lines are skipped by csv-parse itself: a record shorter than the first costs it an error object.
 */
async function* csvLines(buffer: Buffer): AsyncGenerator<SpreadsheetLine> {
  const parser = Readable.from(decodedChunks(buffer)).pipe(
    parseCsv({ bom: true, info: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n', '\r'] }),
  );
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { records: number; empty_lines: number } }>) {
    yield { line: info.records + info.empty_lines, cells: record.slice(0, MAX_COLUMNS) };
  }
}

// ---------------------------------------------------------------------------------------------
// XLSX

/** The parts of exceljs's streaming reader used here: it parses each part from any stream we give it. */
interface ExcelReaderParts {
  workbookRels?: { Id: string; Target: string }[];
  model?: { sheets?: { rId: string }[] };
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(entry: Readable, sheetNo: string): Generator<{ eventType: string; value: AsyncIterable<ExcelRow> }>;
}

/**
 * The first worksheet's rows. The zip is read by yauzl from its central directory, and exceljs's
 * streaming parsers read only entries that yauzl inflated and we counted: exceljs's own unzipper
 * follows the local headers, which need not match the directory whose sizes were checked.
 */
async function* xlsxLines(buffer: Buffer, maxUncompressedBytes: number): AsyncGenerator<SpreadsheetLine> {
  const zip = await fromBufferPromise(buffer, { lazyEntries: true, autoClose: false, validateEntrySizes: false });
  try {
    if (zip.entryCount > MAX_ZIP_ENTRIES) throw new Error(`the zip holds ${zip.entryCount} entries (at most ${MAX_ZIP_ENTRIES})`);
    const entries = new Map<string, Entry>();
    let declared = 0;
    for await (const entry of zip.eachEntry()) {
      declared += entry.uncompressedSize;
      entries.set(entry.fileName, entry);
    }
    if (declared > maxUncompressedBytes) throw SpreadsheetException.uncompressedTooLarge(maxUncompressedBytes, declared);

    const budget = { left: maxUncompressedBytes };
    const open = (entry: Entry) => countedEntry(zip, entry, budget, maxUncompressedBytes);
    const reader = new excelStream.xlsx.WorkbookReader(Readable.from([]), { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' }) as unknown as ExcelReaderParts;
    const part = (name: string) => entries.get(name);

    const rels = part('xl/_rels/workbook.xml.rels');
    const book = part('xl/workbook.xml');
    if (rels) await reader._parseRels(await open(rels));
    if (book) await reader._parseWorkbook(await open(book));
    const styles = part('xl/styles.xml');
    if (styles) await reader._parseStyles(await open(styles));
    const strings = part('xl/sharedStrings.xml');
    if (strings) {
      // With sharedStrings 'cache' this yields nothing: it fills the reader's table of strings.
      for await (const _ of reader._parseSharedStrings(await open(strings))) void _;
    }

    const sheetName = firstSheetName(reader, [...entries.keys()]);
    const sheet = sheetName ? part(sheetName) : undefined;
    if (!sheet) throw new Error('the workbook has no worksheet');
    const sheetNo = /sheet(\d+)\.xml$/.exec(sheet.fileName)?.[1] ?? '1';
    for (const { eventType, value } of reader._parseWorksheet(await open(sheet), sheetNo)) {
      if (eventType !== 'worksheet') continue;
      let last = 0;
      for await (const row of value) {
        last = Number.isFinite(row.number) && row.number > last ? row.number : last + 1;
        const cells: string[] = [];
        row.eachCell((cell, col) => {
          if (col <= MAX_COLUMNS) cells[col - 1] = cellText(cell.value);
        });
        yield { line: last, cells: Array.from(cells, (c) => c ?? '') };
      }
    }
  } finally {
    zip.close();
  }
}

/** The entry of the workbook's first sheet (by the workbook's order), else the lowest-numbered sheet. */
function firstSheetName(reader: ExcelReaderParts, names: string[]): string | undefined {
  const rId = reader.model?.sheets?.[0]?.rId;
  const target = rId ? reader.workbookRels?.find((r) => r.Id === rId)?.Target : undefined;
  if (target) return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
  return names
    .filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a)![1]) - Number(/(\d+)\.xml$/.exec(b)![1]))[0];
}

/**
 * An entry's inflated text, every byte counted: more than the entry declared, or more than the whole
 * file's budget, ends the stream with a 413. Decoded as a stream, so a character split between two
 * chunks stays whole.
 */
async function countedEntry(zip: ZipFile, entry: Entry, budget: { left: number }, maxUncompressedBytes: number): Promise<Readable> {
  const inflated = await zip.openReadStreamPromise(entry);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      budget.left -= chunk.length;
      if (budget.left < 0) return done(SpreadsheetException.uncompressedTooLarge(maxUncompressedBytes));
      if (bytes > entry.uncompressedSize) return done(SpreadsheetException.sizeMismatch(maxUncompressedBytes, entry.fileName));
      done(null, chunk);
    },
  });
  pipeline(inflated, counter, () => undefined); // errors reach the reader through `counter`
  counter.setEncoding('utf8');
  return counter;
}

function cellText(value: ExcelCellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText((value.result ?? null) as ExcelCellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
  }
  return String(value as unknown);
}
