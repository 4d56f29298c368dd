/** The batch view (整顿批次) as the API answers it: GET /api/batches and GET /api/batches/:batchYear — the contract's types. */
export type { BatchCaseRow, BatchList, BatchSummary, BatchView, OffListCaseRow, UnmetCondition, YearEndOutlook as BatchOutlook } from '@contract';
