/** The batch view (整顿批次) as the API answers it: GET /api/batches and GET /api/batches/:batchYear (docs/dashboard-api.md). */
import type { RegionLevel } from '../../../../libs/domain/organization';

export interface BatchSummary {
  batchYear: number;
  cases: number;
  converted: number;
  removed: number;
  yearEnd: string;
}

export interface BatchList {
  currentYear: number;
  items: BatchSummary[];
}

export type BatchOutlook = 'converted' | 'would_convert' | 'would_not';

export interface UnmetCondition {
  code: string;
  zh: string;
  en: string;
  missing?: string;
}

export interface BatchCaseRow {
  caseId: string;
  organizationId: string;
  organizationName: string;
  townshipId: string;
  townshipName: string;
  stage: string;
  stageLabel: string;
  reasons: string[];
  designatedAt: string | null;
  contactLeader: { id: string; name: string; title: string; isCountyPartySecretary: boolean } | null;
  team: { size: number; leaderName: string | null; arrivedOn: string; attached: boolean } | null;
  problems: { open: number; closed: number; confirmed: boolean };
  measures: { done: number; total: number; planApproved: boolean };
  secretary: { required: boolean; appointed: boolean; name: string | null; deadline: string | null; overdue: boolean };
  projects: { count: number; names: string[] };
  visitsThisQuarter: number;
  tasks: { open: number; overdue: number };
  openEscalations: number;
  outlook: { status: BatchOutlook; label: string; met: number; total: number; unmet: UnmetCondition[]; yearEndMissed: boolean };
  yearEndDeadline: string;
  acceptedAt: string | null;
}

export interface OffListCaseRow {
  caseId: string;
  organizationId: string;
  organizationName: string;
  townshipId: string;
  townshipName: string;
  stage: string;
  stageLabel: string;
  reason: string;
  fromStage: string | null;
  at: string | null;
  by: string | null;
}

export interface BatchView {
  batchYear: number;
  scope: { level: RegionLevel; regionId: string; name: string };
  townships: { id: string; name: string }[];
  today: string;
  yearEnd: string;
  daysLeft: number;
  totals: {
    cases: number;
    converted: number;
    wouldConvert: number;
    wouldNot: number;
    removed: number;
    stages: Record<string, number>;
    topUnmet: { code: string; zh: string; en: string; cases: number }[];
    openTasks: number;
    overdueTasks: number;
    openEscalations: number;
  };
  cases: BatchCaseRow[];
  removed: OffListCaseRow[];
}
