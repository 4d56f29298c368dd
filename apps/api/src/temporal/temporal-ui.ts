import type { AppConfig } from '../../../../libs/config';
import type { AuthUser } from '../auth/auth-user';

/**
 * The address of a workflow's page in the Temporal Web UI (TEMPORAL_UI_URL), so an operator goes from a
 * stuck case or star rating to its history in one click. Only the county organization department gets it:
 * the UI has no login of its own and shows every workflow's inputs; others have no use for it.
 */
export function temporalUiUrlFor(config: AppConfig, user: AuthUser, workflowId: string): string | undefined {
  if (!config.temporalUiUrl || user.role !== 'county_org_admin') return undefined;
  const base = config.temporalUiUrl.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
