import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { AppConfig } from '../config';

export type { Logger } from 'pino';

/**
 * Where secrets could appear in a log object: request headers (the bearer token, cookies), bodies or
 * metadata naming a password, token or secret (a channel's signing secret), and the config. pino
 * replaces them before the line is written; a log line never carries them.
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-metrics-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'password',
  'token',
  'accessToken',
  'secret',
  'jwtSecret',
  'databaseUrl',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.passwordHash',
  '*.token',
  '*.accessToken',
  '*.secret',
  '*.jwtSecret',
  '*.databaseUrl',
  '*.authorization',
  '*.*.password',
  '*.*.token',
  '*.*.secret',
  '*.*.jwtSecret',
];

export interface LoggerSettings {
  /** The process: "api" or "worker" (the `app` field of every line). */
  app: string;
  level: AppConfig['observability']['logLevel'];
  /** Undefined: pretty on a terminal outside production, JSON otherwise. */
  format?: 'json' | 'pretty';
  nodeEnv?: AppConfig['nodeEnv'];
  /** Where lines go (default: stdout); tests pass a stream to read them. */
  destination?: DestinationStream;
}

/** The format a process writes: JSON lines unless a person reads them at a terminal. */
export function logFormatOf(settings: Pick<LoggerSettings, 'format' | 'nodeEnv' | 'destination'>): 'json' | 'pretty' {
  if (settings.format) return settings.format;
  return !settings.destination && process.stdout.isTTY && settings.nodeEnv !== 'production' ? 'pretty' : 'json';
}

export function loggerOptions(settings: Pick<LoggerSettings, 'app' | 'level'>): LoggerOptions {
  return {
    level: settings.level,
    base: { app: settings.app },
    // ISO 8601 in UTC ("2026-03-01T02:03:04.567Z"): sortable, unambiguous across the county's machines.
    timestamp: pino.stdTimeFunctions.isoTime,
    // "level":"info" rather than 30, for people reading a file and for log shippers alike.
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
}

/**
 * The process's logger: JSON lines (one object a line, ISO time, level name, app), or the same
 * through pino-pretty for a terminal. pino-pretty is a development dependency: where it is absent
 * (the production image) the lines stay JSON.
 */
export function createLogger(settings: LoggerSettings): Logger {
  const options = loggerOptions(settings);
  if (logFormatOf(settings) === 'pretty') {
    const pretty = loadPinoPretty();
    if (pretty) return pino(options, pretty({ colorize: true, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l', ignore: 'pid,hostname', sync: true }));
  }
  return pino(options, settings.destination ?? pino.destination({ fd: 1, sync: true }));
}

type PinoPretty = (options: Record<string, unknown>) => DestinationStream;

function loadPinoPretty(): PinoPretty | undefined {
  try {
    return require('pino-pretty') as PinoPretty;
  } catch {
    return undefined;
  }
}

/** The settings of an app's logger from its validated config. */
export function loggerSettings(app: string, config: AppConfig): LoggerSettings {
  return { app, level: config.observability.logLevel, format: config.observability.logFormat, nodeEnv: config.nodeEnv };
}
