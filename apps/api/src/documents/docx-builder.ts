import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
} from 'docx';
import { dateLabel, type LocalDate } from '../../../../libs/domain';
import type { Letterhead } from '../../../../libs/http';

/**
 * The county's documents as .docx (Office Open XML, the `docx` library): 督办单, 通报 and 约谈通知书.
 * The layout follows the usual look of a party document (GB/T 9704 in spirit): an optional red header
 * with a red rule, the number, a title in 小标宋, body in 仿宋, the issuing body and date at the foot.
 * Fonts are named, not embedded: Word and WPS on the county's computers carry them.
 */

/** One escalation as a document prints it. */
export interface DocumentEscalation {
  organizationName: string;
  townshipName: string;
  rungLabel: string;
  kindLabel: string;
  title: string;
  reason: string;
  deadline: LocalDate;
  daysOverdue: number;
  raisedOn: LocalDate;
  statusLabel: string;
}

export interface DocumentHead {
  letterhead: Letterhead;
  /** e.g. "×组通〔2026〕3号". */
  numberText: string;
  issuedOn: LocalDate;
}

const TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体' };
const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312' };
const HEI_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };
const RED = 'C00000';
/** Sizes in half-points: 二号 22pt, 三号 16pt, 小四 12pt. */
const ER_HAO = 44;
const SAN_HAO = 32;
const XIAO_SI = 24;

const run = (text: string, o: IRunOptions = {}) => new TextRun({ text, font: BODY_FONT, size: SAN_HAO, ...o });
/** A blank the user fills in by hand (underlined spaces). */
const blank = (width = 10) => run('\u3000'.repeat(width), { underline: {} });

function para(children: TextRun[], o: { align?: (typeof AlignmentType)[keyof typeof AlignmentType]; indent?: boolean; after?: number } = {}): Paragraph {
  return new Paragraph({
    children,
    alignment: o.align ?? AlignmentType.JUSTIFIED,
    indent: o.indent ? { firstLine: 640 } : undefined,
    spacing: { line: 560, after: o.after ?? 0 },
  });
}

/** The head of every document: red header (if the county keeps one) with its rule, and the number. */
function head(h: DocumentHead): Paragraph[] {
  const out: Paragraph[] = [];
  if (h.letterhead.redHeaderTitle) {
    out.push(para([new TextRun({ text: h.letterhead.redHeaderTitle, font: TITLE_FONT, size: 72, color: RED, bold: true })], { align: AlignmentType.CENTER, after: 240 }));
  }
  out.push(
    new Paragraph({
      children: [run(h.numberText)],
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      border: h.letterhead.redHeaderTitle ? { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 6 } } : undefined,
    }),
  );
  return out;
}

function title(text: string): Paragraph {
  return para([new TextRun({ text, font: TITLE_FONT, size: ER_HAO })], { align: AlignmentType.CENTER, after: 320 });
}

/** The issuing body and date at the foot, right-aligned, and the contact line. */
function foot(h: DocumentHead): Paragraph[] {
  const contact = [h.letterhead.contactPerson ? `联系人：${h.letterhead.contactPerson}` : '', h.letterhead.contactPhone ? `联系电话：${h.letterhead.contactPhone}` : ''].filter(Boolean).join('　');
  return [
    para([run('')]),
    para([run(h.letterhead.issuingBody)], { align: AlignmentType.RIGHT }),
    para([run(dateLabel(h.issuedOn))], { align: AlignmentType.RIGHT }),
    ...(contact ? [para([run('')]), para([run(`（${contact}）`)], { indent: true })] : []),
  ];
}

function cell(text: string, o: { bold?: boolean; width?: number } = {}): TableCell {
  return new TableCell({
    children: [new Paragraph({ children: [new TextRun({ text, font: o.bold ? HEI_FONT : BODY_FONT, size: XIAO_SI })], alignment: AlignmentType.CENTER })],
    width: o.width ? { size: o.width, type: WidthType.PERCENTAGE } : undefined,
  });
}

function pack(children: (Paragraph | Table)[], description: string): Promise<Buffer> {
  const doc = new Document({
    creator: '软弱涣散基层党组织整顿工作流引擎',
    description,
    styles: { default: { document: { run: { font: BODY_FONT, size: SAN_HAO } } } },
    // A4 with the margins of party documents: top 37mm, bottom 35mm, left 28mm, right 26mm.
    sections: [{ properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } } }, children }],
  });
  return Packer.toBuffer(doc);
}

/** 督办单: one escalation of rung 督办, to the township party committee. */
export function supervisionOrderDocx(h: DocumentHead, e: DocumentEscalation): Promise<Buffer> {
  const rows: [string, string][] = [
    ['督办对象', `${e.townshipName}党委（${e.organizationName}）`],
    ['督办事项', e.title],
    ['事项类别', e.kindLabel],
    ['办理期限', dateLabel(e.deadline)],
    ['逾期天数', `${e.daysOverdue}天`],
    ['督办事由', e.reason],
    ['办理要求', '请接到本督办单后立即组织办理，5个工作日内将办理情况书面报县委组织部，并在系统中签收、登记办理进展。'],
  ];
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: rows.map(([k, v]) => new TableRow({ children: [cell(k, { bold: true, width: 22 }), cell(v, { width: 78 })] })),
  });
  return pack(
    [
      ...head(h),
      title('督　办　单'),
      para([run(`${e.townshipName}党委：`)]),
      para([run(`你镇（街道）${e.organizationName}整顿工作中“${e.title}”已逾期${e.daysOverdue}天，现予以督办。`)], { indent: true, after: 200 }),
      table,
      ...foot(h),
    ],
    `督办单 ${h.numberText}`,
  );
}

/** 通报: one or more escalations, a list of the organizations, their townships, what is overdue and since when. */
export function bulletinDocx(h: DocumentHead, items: DocumentEscalation[]): Promise<Buffer> {
  const orgs = [...new Set(items.map((e) => e.organizationName))];
  const townships = [...new Set(items.map((e) => e.townshipName))];
  const subject = orgs.length === 1 ? orgs[0] : `${orgs[0]}等${orgs.length}个基层党组织`;
  const header = new TableRow({
    tableHeader: true,
    children: ['序号', '乡镇（街道）', '基层党组织', '逾期事项', '办理期限', '逾期天数', '问责层级'].map((t) => cell(t, { bold: true })),
  });
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      header,
      ...items.map(
        (e, i) =>
          new TableRow({
            children: [cell(String(i + 1)), cell(e.townshipName), cell(e.organizationName), cell(e.title), cell(dateLabel(e.deadline)), cell(`${e.daysOverdue}天`), cell(e.rungLabel)],
          }),
      ),
    ],
  });
  return pack(
    [
      ...head(h),
      title(`关于${subject}整顿工作逾期情况的通报`),
      para([run(`${townships.join('、')}党委：`)]),
      para(
        [
          run(
            `根据软弱涣散基层党组织整顿工作安排，经县委组织部跟踪督办，截至${dateLabel(h.issuedOn)}，以下${orgs.length}个基层党组织共${items.length}项整顿任务逾期未完成，督办后仍未按期办结，现予以通报。`,
          ),
        ],
        { indent: true, after: 200 },
      ),
      table,
      para([run('')]),
      para([new TextRun({ text: '一、逾期情况', font: HEI_FONT, size: SAN_HAO })], { indent: true }),
      ...items.map((e, i) => para([run(`${i + 1}. ${e.townshipName}${e.organizationName}：${e.reason}（期限${dateLabel(e.deadline)}，${dateLabel(e.raisedOn)}起问责）。`)], { indent: true })),
      para([new TextRun({ text: '二、有关要求', font: HEI_FONT, size: SAN_HAO })], { indent: true }),
      para(
        [run('被通报的乡镇（街道）党委要认真查找原因，压实整顿责任，立即组织整改，10个工作日内将整改情况书面报县委组织部。逾期仍未整改到位的，将按规定予以约谈。')],
        { indent: true },
      ),
      ...foot(h),
    ],
    `通报 ${h.numberText}`,
  );
}

/** Who a 约谈 summons, with the one who holds the talk. */
export interface InterviewParties {
  /** e.g. "××镇党委书记 王某". */
  summoned: string[];
  /** e.g. the county party secretary's name, or blank. */
  heldBy: string | null;
}

/** 约谈通知书: one escalation of rung 约谈; the time and place are blanks the county fills in by hand. */
export function interviewNoticeDocx(h: DocumentHead, e: DocumentEscalation, parties: InterviewParties): Promise<Buffer> {
  return pack(
    [
      ...head(h),
      title('约 谈 通 知 书'),
      para([run(`${parties.summoned.join('、')}：`)]),
      para(
        [run(`${e.organizationName}整顿工作中“${e.title}”（期限${dateLabel(e.deadline)}）已逾期${e.daysOverdue}天，经督办、通报仍未办结。${e.reason}。根据软弱涣散基层党组织整顿工作问责规定，决定对你进行约谈。`)],
        { indent: true },
      ),
      para([run('约谈时间：'), blank(4), run('年'), blank(2), run('月'), blank(2), run('日'), blank(2), run('时'), blank(2), run('分')], { indent: true }),
      para([run('约谈地点：'), blank(14)], { indent: true }),
      para([run(`约谈人：${parties.heldBy ?? ''}`), ...(parties.heldBy ? [] : [blank(10)])], { indent: true }),
      para([run('约谈事由：'), run(`${e.kindLabel}逾期未办结（${e.title}）`)], { indent: true }),
      para([run('请按时参加，并提前准备书面情况说明（逾期原因、整改措施、完成时限）。无特殊情况不得请假或委托他人参加。')], { indent: true }),
      ...foot(h),
      para([run('')]),
      para([run('被约谈人签收：'), blank(8), run('　签收日期：'), blank(8)], { indent: true }),
    ],
    `约谈通知书 ${h.numberText}`,
  );
}

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
