import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CADRE_RANKS,
  CONSULTATION_KINDS,
  DESIGNATION_REASONS,
  EXTENSION_APPROVER_ROLES,
  ATTACHMENT_REQUIREMENTS,
  type AttachmentRequirement,
  type UserRole,
  type CadreRank,
  type ConsultationKind,
  type DesignationReason,
} from '../../../../../libs/domain';
import { INSPECTION_STEPS, ORGANIZATION_DOMAINS, type InspectionStep, type OrganizationDomain } from '../../../../../libs/domain';
import { AcceptanceFormDto, PlaybookDto } from './practice-policy.dto';

export class CountyParams {
  @ApiProperty({ description: '县（区） ID / county id', format: 'uuid' })
  @IsUUID('all')
  countyId!: string;
}

/** 延期: who approves, how often and by how much; each given one replaces the current value. */
export class ExtensionSettingsDto {
  @ApiPropertyOptional({ description: '延期审批角色（县委组织部/县委书记） / who approves', enum: EXTENSION_APPROVER_ROLES, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsIn(EXTENSION_APPROVER_ROLES, { each: true })
  approvers?: UserRole[];

  @ApiPropertyOptional({ description: '每项期限最多延期次数 / approved extensions per deadline', minimum: 0, maximum: 5 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  maxPerDeadline?: number;

  @ApiPropertyOptional({ description: '每次最多延期天数 / days one extension may add', minimum: 1, maximum: 180 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(180)
  maxDaysEach?: number;

  @ApiPropertyOptional({ description: '延期理由最少字数 / fewest characters of the reason', minimum: 1, maximum: 500 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  reasonMinLength?: number;

  @ApiPropertyOptional({ description: '允许书记选配期限（原则上3个月）延期，每次须经审批并留痕 / allow the secretary deadline to be extended' })
  @IsOptional()
  @IsBoolean()
  secretaryDeadline?: boolean;
}

/** 附件: what the county asks of attached evidence; each given one replaces the current value. */
export class AttachmentSettingsDto {
  @ApiPropertyOptional({ description: '照片保留拍摄位置（GPS）信息，默认上传时去除 / photos keep their location metadata (removed by default)' })
  @IsOptional()
  @IsBoolean()
  keepPhotoLocation?: boolean;

  @ApiPropertyOptional({ description: '须至少附一个附件的环节（问题销号、验收）/ steps that need at least one attachment', enum: ATTACHMENT_REQUIREMENTS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(ATTACHMENT_REQUIREMENTS.length)
  @IsIn(ATTACHMENT_REQUIREMENTS, { each: true })
  requiredFor?: AttachmentRequirement[];
}

/** Days overdue of the escalation rungs; each given one replaces the current value. */
export class EscalationDaysOverdueDto {
  @ApiPropertyOptional({ description: '督办：逾期天数 / supervision notice, days overdue', minimum: 0, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  supervision?: number;

  @ApiPropertyOptional({ description: '通报：逾期天数 / public notice, days overdue', minimum: 0, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  publicNotice?: number;

  @ApiPropertyOptional({ description: '约谈：逾期天数 / interview, days overdue', minimum: 0, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  interview?: number;
}

/** Who publishes (until sign-in exists, recorded as given). */

/**
 * Publish a new version of a county's rectification policy: every given field overrides the current
 * version; the rest is kept. The ranges are the same as policyProblems() checks.
 */
export class PublishPolicyDto {
  @ApiPropertyOptional({ description: '整建队伍最少人数 / minimum team size', minimum: 1, maximum: 50 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(50)
  teamMinSize?: number;

  @ApiPropertyOptional({ description: '可任队长的职级 / ranks allowed to lead the team', enum: CADRE_RANKS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(CADRE_RANKS.length)
  @IsIn(CADRE_RANKS, { each: true })
  teamLeaderRanks?: CadreRank[];

  @ApiPropertyOptional({ description: '书记选配期限（月）/ months to a qualified secretary', minimum: 1, maximum: 24 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24)
  secretaryDeadlineMonths?: number;

  @ApiPropertyOptional({
    description: '须选配书记的认定原因 / designation reasons that require a new secretary',
    enum: DESIGNATION_REASONS,
    isArray: true,
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(DESIGNATION_REASONS.length)
  @IsIn(DESIGNATION_REASONS, { each: true })
  secretaryRequiredForReasons?: DesignationReason[];

  @ApiPropertyOptional({ description: '每季度调研指导次数 / guidance visits per quarter', minimum: 0, maximum: 12 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(12)
  visitsPerQuarter?: number;

  @ApiPropertyOptional({ description: '实事好事件数 / practical things expected', minimum: 0, maximum: 20 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20)
  practicalThingsExpected?: number;

  @ApiPropertyOptional({
    description: '方案审批前必需的征求意见方式 / consultations required before the plan',
    enum: CONSULTATION_KINDS,
    isArray: true,
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(CONSULTATION_KINDS.length)
  @IsIn(CONSULTATION_KINDS, { each: true })
  requiredConsultations?: ConsultationKind[];

  @ApiPropertyOptional({ description: '集体经济项目数 / collective-economy projects required', minimum: 0, maximum: 10 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  minCollectiveProjects?: number;

  @ApiPropertyOptional({ description: '回头看间隔（月）/ months to the follow-up review', minimum: 1, maximum: 36 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36)
  followUpDelayMonths?: number;

  @ApiPropertyOptional({ description: '回头看办理天数 / days for the follow-up review', minimum: 1, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  followUpReviewDays?: number;

  @ApiPropertyOptional({ description: '县委书记每批次联系案件数 / cases the county party secretary takes per batch', minimum: 0, maximum: 10 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  countyPartySecretaryMaxCases?: number;

  @ApiPropertyOptional({ description: '提前提醒天数 / reminder days before a deadline', type: [Number], example: [14, 3] })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(365, { each: true })
  reminderDaysBefore?: number[];

  @ApiPropertyOptional({ description: '督办/通报/约谈逾期天数 / escalation rungs, days overdue', type: EscalationDaysOverdueDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EscalationDaysOverdueDto)
  escalationDaysOverdue?: EscalationDaysOverdueDto;

  @ApiPropertyOptional({ description: '提醒和督办等按工作日（国家法定节假日安排）计算天数 / count reminder and escalation days as working days' })
  @IsOptional()
  @IsBoolean()
  countWorkingDays?: boolean;

  @ApiPropertyOptional({ description: '提醒或督办等落在周末、节假日时顺延至下一个工作日 / a notice due on a day off goes out on the next working day' })
  @IsOptional()
  @IsBoolean()
  shiftNoticesToWorkingDay?: boolean;

  @ApiPropertyOptional({ description: '提醒和督办等的发送时刻（北京时间，时）/ hour of the day notices go out (Asia/Shanghai)', minimum: 0, maximum: 23, example: 9 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(23)
  noticeHour?: number;

  // Below 5 reaches the seed floors, which refuse it naming seed 000 §三(二) (POLICY_BELOW_SEED_FLOOR).
  @ApiPropertyOptional({ description: '星级评定公示天数（不少于5天） / days a star rating\'s public notice runs (at least 5)', minimum: 1, maximum: 60 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  publicNoticeDays?: number;

  @ApiPropertyOptional({ description: '补录期限（天）：早于此天数的记录须说明理由，标为补录 / records dated more than this many days back need a reason (补录)', minimum: 1, maximum: 365, example: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  lateEntryDays?: number;

  @ApiPropertyOptional({ description: '回头看反弹后重新转化期限（月）/ months from a relapse to the new conversion deadline', minimum: 1, maximum: 12, example: 6 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  relapseConversionMonths?: number;

  @ApiPropertyOptional({ description: '组织处理：逾期天数（晚于约谈）/ days overdue at which 组织处理 is put to the county organization department', minimum: 1, maximum: 365, example: 45 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  organizationalHandlingDaysOverdue?: number;

  @ApiPropertyOptional({ description: '问题销号佐证最少字数（附附件编号时不限）/ fewest characters of fix evidence without an attachment reference', minimum: 1, maximum: 500, example: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  evidenceMinLength?: number;

  @ApiPropertyOptional({ description: '延期规则 / deadline extensions: who approves, how often, by how much', type: ExtensionSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ExtensionSettingsDto)
  extensions?: ExtensionSettingsDto;

  @ApiPropertyOptional({ description: '附件要求 / attachments: photo location, steps that need one', type: AttachmentSettingsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AttachmentSettingsDto)
  attachments?: AttachmentSettingsDto;

  @ApiPropertyOptional({
    description: `分类整顿要求：按组织类型（${ORGANIZATION_DOMAINS.join('/')}）的第六项和验收条件，未列出的类型用默认 / playbooks by organization kind; kinds left out keep the default`,
    type: 'object',
    additionalProperties: { type: 'object', properties: { sixthTrack: { type: 'string', maxLength: 50 }, minProjects: { type: 'integer', minimum: 0, maximum: 10 }, conditions: { type: 'array', items: { type: 'string' } } } },
  })
  @IsOptional()
  @IsObject()
  playbooks?: Partial<Record<OrganizationDomain, PlaybookDto>>;

  @ApiPropertyOptional({ description: '须经县委组织部督导把关的环节（问题清单、整顿方案、验收申请）/ steps the county signs off', enum: INSPECTION_STEPS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(INSPECTION_STEPS.length)
  @IsIn(INSPECTION_STEPS, { each: true })
  inspectionSteps?: InspectionStep[];

  @ApiPropertyOptional({ description: '督导把关期限（天）/ days the county has to decide a step', minimum: 1, maximum: 90, example: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(90)
  inspectionDays?: number;

  @ApiPropertyOptional({ description: '退回理由最少字数 / fewest characters of a sending back\'s reason', minimum: 1, maximum: 500, example: 10 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  sendBackReasonMinLength?: number;

  @ApiPropertyOptional({ description: '验收评分表：设置后验收须评分合格且不被满意度否决 / the acceptance form; once set, acceptance needs a passing score and no satisfaction veto', type: AcceptanceFormDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AcceptanceFormDto)
  acceptanceForm?: AcceptanceFormDto;

  @ApiPropertyOptional({ description: '发布说明 / why this version', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

}
