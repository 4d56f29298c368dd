import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes of the case workflow, so `temporal workflow list` and the Web UI can filter
 * cases by county, township, batch year and stage. The dev server registers them at start
 * (scripts/lib/temporal.js); production registers them once with `temporal operator search-attribute create`.
 */
export const CountyIdAttribute = defineSearchAttributeKey('CountyId', SearchAttributeType.KEYWORD);
export const TownshipIdAttribute = defineSearchAttributeKey('TownshipId', SearchAttributeType.KEYWORD);
export const BatchYearAttribute = defineSearchAttributeKey('BatchYear', SearchAttributeType.INT);
export const CaseStageAttribute = defineSearchAttributeKey('CaseStage', SearchAttributeType.KEYWORD);

export const CASE_SEARCH_ATTRIBUTES = [CountyIdAttribute, TownshipIdAttribute, BatchYearAttribute, CaseStageAttribute];
