import { Inject, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { Request } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import sharp, { type Sharp } from 'sharp';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../../libs/config';
import { ATTACHMENT_SUBJECT_LABELS, attachmentSettings, type AttachmentSubjectKind, type CaseState } from '../../../../libs/domain';
import type { AttachmentView } from '../../../../libs/http';
import { AttachmentEntity, type RectificationCaseEntity } from '../../../../libs/persistence';
import { recordAudit } from '../audit/audit-writer';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { ApiException } from '../common/api.exception';
import { CasesService } from '../cases/cases.service';
import { validationException } from '../common/validation';
import { APP_CONFIG } from '../config/config.module';
import { PoliciesService } from '../policies/policies.service';
import { ScopeService } from '../scope/scope.service';
import { AttachmentException } from './attachment.exception';
import { ATTACHMENT_STORE, PostgresAttachmentStore, type AttachmentStore } from './attachment-store';
import { detectType, SAMPLE_BYTES, typeLabel, type AttachmentType } from './content-type';
import { UploadAttachmentFields, type RemoveAttachmentDto } from './dto/attachment.dto';
import { Inspector, receiveUpload, type IncomingFile } from './upload-reader';

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_PX = 320;
/** Images larger than this many pixels are refused by sharp before decoding (a decompression bomb). */
const MAX_IMAGE_PIXELS = 100_000_000;

/** The records of a case an attachment may belong to, by kind: the keys that exist. */
function subjectExists(state: CaseState, kind: AttachmentSubjectKind, key: string): boolean {
  switch (kind) {
    case 'visit':
      return state.visits.some((v) => v.id === key);
    case 'problem_found':
    case 'problem_closed':
      return state.problems.some((p) => p.id === key);
    case 'consultation':
      return state.consultations.some((c) => c.id === key);
    case 'measure_progress':
      return state.measures.some((m) => m.id === key);
    case 'secretary_appointment':
      return key === 'secretary';
    case 'training':
      return state.secretary.trainings.some((t) => t.id === key);
    case 'project':
      return state.projects.some((p) => p.id === key);
    case 'acceptance':
      return key === 'acceptance';
    case 'handling':
      return (state.organizationalHandling?.decisions ?? []).some((d) => d.id === key);
  }
}

/** sha256 and byte count of what passes through. */
class Digest extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    done(null, chunk);
  }
  hex(): string {
    return this.hash.digest('hex');
  }
}

const SELECT_VIEW = `a.id, a.case_id AS "caseId", a.subject_kind AS "subjectKind", a.subject_key AS "subjectKey", a.original_name AS "name", a.mime, a.size, a.sha256,
  a.thumbnail IS NOT NULL AS "hasThumbnail", a.uploaded_by_id AS "uploadedById", a.uploaded_by_name AS "uploadedByName", a.uploaded_by_role AS "uploadedByRole", a.uploaded_at AS "uploadedAt"`;

interface ViewRow {
  id: string;
  caseId: string;
  subjectKind: AttachmentSubjectKind;
  subjectKey: string;
  name: string;
  mime: string;
  size: string | number;
  sha256: string;
  hasThumbnail: boolean;
  uploadedById: string;
  uploadedByName: string;
  uploadedByRole: string | null;
  uploadedAt: Date;
}

function viewOf(r: ViewRow): AttachmentView {
  return {
    id: r.id,
    caseId: r.caseId,
    subjectKind: r.subjectKind,
    subjectKey: r.subjectKey,
    subjectLabel: ATTACHMENT_SUBJECT_LABELS[r.subjectKind] ?? '',
    name: r.name,
    mime: r.mime,
    typeLabel: typeLabel(r.mime),
    size: Number(r.size),
    sha256: r.sha256,
    isImage: r.mime.startsWith('image/'),
    hasThumbnail: r.hasThumbnail,
    uploadedById: r.uploadedById,
    uploadedByName: r.uploadedByName,
    uploadedByRole: r.uploadedByRole,
    uploadedAt: r.uploadedAt.toISOString(),
  };
}

/** Re-encodes a photo in its own format; sharp drops EXIF, XMP and so the GPS position unless told to keep them. */
function encoder(): Sharp {
  return sharp({ failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS }).rotate();
}

function formatted(image: Sharp, type: AttachmentType): Sharp {
  if (type.mime === 'image/png') return image.png();
  if (type.mime === 'image/webp') return image.webp({ quality: 90 });
  return image.jpeg({ quality: 90, mozjpeg: true });
}

@Injectable()
export class AttachmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scope: ScopeService,
    private readonly cases: CasesService,
    private readonly policies: PoliciesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore,
  ) {
    this.postgres = store instanceof PostgresAttachmentStore ? store : new PostgresAttachmentStore(dataSource);
  }

  /** Files stored in PostgreSQL stay readable after a deployment moves to an S3-compatible store. */
  private readonly postgres: PostgresAttachmentStore;

  async list(user: AuthUser, caseId: string): Promise<AttachmentView[]> {
    await this.scope.assertCaseInScope(user, caseId);
    const rows: ViewRow[] = await this.dataSource.query(`SELECT ${SELECT_VIEW} FROM attachment a WHERE a.case_id = $1 AND a.removed_at IS NULL ORDER BY a.uploaded_at, a.id`, [caseId]);
    return rows.map(viewOf);
  }

  /** Attachments of many cases (for the ledger exports), in their order. */
  async ofCases(caseIds: string[]): Promise<AttachmentView[]> {
    if (caseIds.length === 0) return [];
    const rows: ViewRow[] = await this.dataSource.query(`SELECT ${SELECT_VIEW} FROM attachment a WHERE a.case_id = ANY($1) AND a.removed_at IS NULL ORDER BY a.case_id, a.uploaded_at, a.id`, [caseIds]);
    return rows.map(viewOf);
  }

  private async row(user: AuthUser, caseId: string, attachmentId: string): Promise<AttachmentEntity> {
    await this.scope.assertCaseInScope(user, caseId);
    const row = await this.dataSource.getRepository(AttachmentEntity).findOneBy({ id: attachmentId, caseId });
    if (!row || row.removedAt) throw AttachmentException.notFound(attachmentId);
    return row;
  }

  async open(user: AuthUser, caseId: string, attachmentId: string): Promise<{ row: AttachmentEntity; content: Readable }> {
    const row = await this.row(user, caseId, attachmentId);
    return { row, content: (row.store === 'postgres' ? this.postgres : this.store).reader(row.id) };
  }

  async thumbnail(user: AuthUser, caseId: string, attachmentId: string): Promise<Buffer> {
    const row = await this.row(user, caseId, attachmentId);
    const [found]: { thumbnail: Buffer | null }[] = await this.dataSource.query(`SELECT thumbnail FROM attachment WHERE id = $1`, [row.id]);
    if (!found?.thumbnail) throw AttachmentException.notFound(attachmentId);
    return found.thumbnail;
  }

  async remove(user: AuthUser, caseId: string, attachmentId: string, dto: RemoveAttachmentDto): Promise<void> {
    await this.scope.assertCaseInScope(user, caseId);
    await this.dataSource.transaction(async (tx) => {
      const [row]: { id: string; name: string; subjectKind: string; subjectKey: string; uploadedById: string; removedAt: Date | null }[] = await tx.query(
        `SELECT id, original_name AS name, subject_kind AS "subjectKind", subject_key AS "subjectKey", uploaded_by_id AS "uploadedById", removed_at AS "removedAt"
           FROM attachment WHERE id = $1 AND case_id = $2 FOR UPDATE`,
        [attachmentId, caseId],
      );
      if (!row) throw AttachmentException.notFound(attachmentId);
      if (row.removedAt) throw AttachmentException.alreadyRemoved(attachmentId);
      if (row.uploadedById !== user.id && user.role !== 'county_org_admin') throw AttachmentException.removalNotAllowed();
      await tx.query(`UPDATE attachment SET removed_at = now(), removed_by_id = $2, removed_by_name = $3, removal_reason = $4 WHERE id = $1`, [row.id, user.id, user.name, dto.reason]);
      await recordAudit(tx, {
        caseId,
        actor: actorOf(user),
        action: 'attachment.removed',
        payload: { attachmentId: row.id, name: row.name, subjectKind: row.subjectKind, subjectKey: row.subjectKey, reason: dto.reason },
      });
    });
  }

  /**
   * Receives one file as it streams: its type is read from its first bytes (422 unless a photo, PDF
   * or Office file), its bytes are counted against the file's and the case's caps (413), a photo is
   * re-encoded without its metadata and given a thumbnail, and the content goes to the store in the
   * transaction that records it — a refused upload leaves no row behind.
   */
  async upload(user: AuthUser, caseId: string, req: Request): Promise<AttachmentView> {
    const kase = await this.scope.caseInScope(user, caseId);
    return receiveUpload(req, (file) => this.receive(user, kase, file));
  }

  private async receive(user: AuthUser, kase: RectificationCaseEntity, file: IncomingFile): Promise<AttachmentView> {
    // Nothing is read from the file until its fields are known good.
    const fields = plainToInstance(UploadAttachmentFields, file.fields);
    const errors = await validate(fields, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) {
      file.stream.resume();
      throw validationException(errors);
    }
    // The read model may not yet show a record just made (a visit recorded a moment ago): then the workflow's live state is asked.
    const exists = subjectExists(kase.state, fields.subjectKind, fields.subjectKey) || (await this.liveSubjectExists(user, kase.id, fields.subjectKind, fields.subjectKey));
    if (!exists) {
      file.stream.resume();
      throw AttachmentException.subjectNotFound(fields.subjectKind, fields.subjectKey, ATTACHMENT_SUBJECT_LABELS[fields.subjectKind]);
    }
    const caps = this.config.attachments;
    // Read at upload: the county's current word on photos' location applies to what is uploaded now.
    const { keepPhotoLocation } = attachmentSettings(await this.policies.currentPolicy(kase.countyId));
    const used = await this.usedBytes(kase.id);
    const name = file.fileName.slice(0, 255);

    let type: AttachmentType | undefined;
    let typed!: { resolve: () => void; reject: (e: unknown) => void };
    const typeKnown = new Promise<void>((resolve, reject) => (typed = { resolve, reject }));
    const inspector = new Inspector(
      SAMPLE_BYTES,
      Math.min(caps.maxFileBytes, Math.max(0, caps.maxCaseBytes - used)),
      (bytes) => (bytes > caps.maxFileBytes ? AttachmentException.fileTooLarge(caps.maxFileBytes) : AttachmentException.caseQuotaExceeded(caps.maxCaseBytes, used)),
      async (head) => {
        const found = await detectType(head, name);
        if (!found.ok) throw found.detected === 'heic' || found.detected === 'avif' ? AttachmentException.heic(name) : AttachmentException.typeNotAllowed(name, found.detected);
        type = found.type;
        typed.resolve();
      },
    );
    // Awaited below, after the first statements of the transaction: until then a refusal is not unhandled.
    typeKnown.catch(() => undefined);
    inspector.once('error', (e) => typed.reject(e));
    file.stream.once('error', (e) => inspector.destroy(e));
    file.stream.pipe(inspector);

    const id = randomUUID();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const tx = runner.manager;
      await tx.query(
        `INSERT INTO attachment (id, case_id, county_id, township_id, organization_id, subject_kind, subject_key, original_name, mime, ext, size, sha256, store,
                                 uploaded_by_id, uploaded_by_name, uploaded_by_role, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'application/octet-stream', '', 0, '', $9, $10, $11, $12, now())`,
        [id, kase.id, kase.countyId, kase.townshipId, kase.organizationId, fields.subjectKind, fields.subjectKey, name, this.store.kind, user.id, user.name, user.role],
      );
      await typeKnown;
      const known = type!;
      const digest = new Digest();
      const sink = this.store.writer(tx, id);
      let thumbnail: Buffer | null = null;
      if (known.image) {
        const image = encoder();
        // The county's policy may keep a photo's EXIF, its location with it (the orientation is applied
        // either way, and sharp writes the kept EXIF as upright); the thumbnail never carries it.
        const full = formatted(keepPhotoLocation ? image.clone().keepExif() : image.clone(), known);
        const thumb = image.clone().resize(THUMBNAIL_PX, THUMBNAIL_PX, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer();
        thumb.catch(() => undefined);
        inspector.once('error', (e) => full.destroy(e));
        inspector.pipe(image);
        try {
          [, thumbnail] = await Promise.all([pipeline(full, digest, sink), thumb]);
        } catch (e) {
          throw e instanceof ApiException ? e : AttachmentException.imageUnreadable(name, e instanceof Error ? e.message : String(e));
        }
      } else {
        await pipeline(inspector, digest, sink);
      }

      // The case's cap, counted again under a lock of the case: two uploads at once cannot both pass it.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`attachment:${kase.id}`]);
      const others = await this.usedBytes(kase.id, tx);
      if (others + digest.size > caps.maxCaseBytes) throw AttachmentException.caseQuotaExceeded(caps.maxCaseBytes, others);

      const sha256 = digest.hex();
      await tx.query(`UPDATE attachment SET mime = $2, ext = $3, size = $4, sha256 = $5, thumbnail = $6 WHERE id = $1`, [id, known.mime, known.ext, digest.size, sha256, thumbnail]);
      await recordAudit(tx, {
        caseId: kase.id,
        actor: actorOf(user),
        action: 'attachment.uploaded',
        payload: { attachmentId: id, name, subjectKind: fields.subjectKind, subjectKey: fields.subjectKey, mime: known.mime, size: digest.size, sha256 },
      });
      await runner.commitTransaction();
    } catch (e) {
      await runner.rollbackTransaction().catch(() => undefined);
      await this.store.discard(id).catch(() => undefined);
      inspector.destroy();
      throw e;
    } finally {
      await runner.release();
    }
    const [row]: ViewRow[] = await this.dataSource.query(`SELECT ${SELECT_VIEW} FROM attachment a WHERE a.id = $1`, [id]);
    return viewOf(row);
  }

  private async liveSubjectExists(user: AuthUser, caseId: string, kind: AttachmentSubjectKind, key: string): Promise<boolean> {
    const live = (await this.cases.get(user, caseId).catch(() => null))?.live;
    return live ? subjectExists(live, kind, key) : false;
  }

  private async usedBytes(caseId: string, manager = this.dataSource.manager): Promise<number> {
    const [r]: { used: string }[] = await manager.query(`SELECT COALESCE(sum(size), 0) AS used FROM attachment WHERE case_id = $1 AND removed_at IS NULL`, [caseId]);
    return Number(r.used);
  }
}
