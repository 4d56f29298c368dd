import type { Logger as PinoLogger } from 'pino';

/** The Temporal SDK's Logger interface (@temporalio/common), kept structural so this lib needs no SDK import. */
type TemporalLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
type LogMetadata = Record<string | symbol, unknown>;

const LEVELS: Record<TemporalLogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** A case's workflow id is its case id (libs/temporal/rectify-case.client.ts). */
const CASE_WORKFLOW_TYPE = 'rectifyCase';

/**
 * The Temporal SDK's logger (Runtime.install({ logger })) as a pino child: the worker's own lines,
 * the Rust core's forwarded lines, and every workflow's and activity's `log` calls become JSON lines
 * with the workflow id (and the case id for a case's workflow), run id, activity and task queue.
 */
export class TemporalPinoLogger {
  constructor(private readonly logger: PinoLogger) {}

  log(level: TemporalLogLevel, message: string, meta?: LogMetadata): void {
    const method = LEVELS[level] ?? 'info';
    const fields = meta ? plainFields(meta) : {};
    if (fields.workflowType === CASE_WORKFLOW_TYPE && typeof fields.workflowId === 'string') fields.caseId = fields.workflowId;
    this.logger[method](fields, message);
  }

  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/**
 * The metadata as log fields: string keys only (the SDK's symbol keys carry its own timestamps), an
 * `error` under pino's `err` so its stack is serialized, and the core's `timestamp` dropped (pino
 * writes its own).
 */
function plainFields(meta: LogMetadata): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta)) {
    if (key === 'timestamp' || value === undefined) continue;
    if ((key === 'error' || key === 'failure') && value instanceof Error) fields.err = value;
    else fields[key] = value;
  }
  return fields;
}
