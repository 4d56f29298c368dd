import { parseOutboundAllow, type AllowedOrigin } from '../outbound/outbound-url';

/**
 * Typed configuration from environment variables, validated at start-up: a missing or invalid
 * variable stops the process with a message naming it (see ConfigError).
 */
export type AppName = 'api' | 'worker';

export interface AppConfig {
  nodeEnv: 'development' | 'test' | 'production';
  databaseUrl: string;
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    /** The worker's gRPC compression towards the Temporal server (TEMPORAL_WORKER_GRPC_COMPRESSION). */
    workerGrpcCompression: 'gzip' | 'none';
  };
  api: {
    host: string;
    port: number;
    /** Express "trust proxy": false, a hop count, or the proxies' addresses/subnets (comma-separated). */
    trustProxy: false | number | string;
    /** Heavy reads (dashboards, exports, batch views) one user may have in flight; more answer 429. */
    heavyReadsPerUser: number;
  };
  worker: {
    /**
     * Workflows the worker keeps in memory between their tasks (Temporal's sticky cache); undefined:
     * as many as memoryMb holds. A case not in it replays its whole history when it wakes.
     */
    maxCachedWorkflows?: number;
    /**
     * The worker process's memory budget in MB (WORKER_MEMORY_MB): its workflow cache is sized to fit
     * in it (apps/worker/src/memory.ts) and its start scripts give V8 the same heap limit.
     */
    memoryMb: number;
  };
  /** Logs, metrics and traces (libs/observability; README "Operations"). */
  observability: {
    /** pino level: fatal, error, warn, info, debug, trace or silent. */
    logLevel: LogLevelName;
    /** json (files, production) or pretty (a person's terminal); undefined: pretty on a terminal outside production. */
    logFormat?: 'json' | 'pretty';
    /** Interface the metrics endpoints listen on (loopback unless a scraper on another host needs them). */
    metricsHost: string;
    /** The API's Prometheus endpoint (GET /metrics on its own port); undefined: off. */
    apiMetricsPort?: number;
    /** The worker's Temporal SDK metrics (GET /metrics on its own port); undefined: off. */
    workerMetricsPort?: number;
    /** OTLP/HTTP collector traces are sent to; undefined: tracing off. */
    otlpEndpoint?: string;
  };
  /** Where people open the Temporal Web UI; only printed and linked, never called. */
  temporalUiUrl?: string;
  /** Outbound requests of notification channels (API at save, worker at send). */
  outbound: {
    /** Origins allowed despite the https / public-address rules (OUTBOUND_ALLOW; local receivers of tests and demos). */
    allow: AllowedOrigin[];
    /** Live channels one township may have (MAX_CHANNELS_PER_TOWNSHIP). */
    maxChannelsPerTownship: number;
  };
  auth: {
    jwtSecret: string;
    /** Token lifetime, e.g. "8h", "30m". */
    jwtTtl: string;
    /** bcrypt cost factor of password hashes. */
    passwordHashRounds: number;
    /** Failed sign-ins of one username from one client address before it is locked out. */
    loginMaxFailures: number;
    /** Failed sign-ins from one client address, whatever the usernames, before the address is locked out. */
    loginMaxFailuresPerAddress: number;
    /** How long those failures count, and how long the lock-out lasts, in milliseconds. */
    loginLockoutWindowMs: number;
  };
  /** Caps on an uploaded spreadsheet (apps/api/src/common/spreadsheet-upload.ts), so no file can starve the API. */
  imports: {
    /** Largest upload, in bytes (413 above; nothing larger is buffered). */
    maxFileBytes: number;
    /** Largest an .xlsx may expand to, in bytes: declared sizes summed before reading, inflated bytes counted while reading. */
    maxUncompressedBytes: number;
    /** Data rows a file may hold (413 above). */
    maxRows: number;
    /** Problems listed in an answer; the rest are only counted. */
    maxReportedProblems: number;
  };
  /** Caps on attachments, the evidence of a case (apps/api/src/attachments): 413 above either. */
  attachments: {
    maxFileBytes: number;
    /** All files of one case together (removed ones not counted). */
    maxCaseBytes: number;
    /** Where the content lives: PostgreSQL rows (the default) or an S3-compatible bucket; the metadata is always in PostgreSQL. */
    store: AttachmentStoreConfig;
  };
}

/** ATTACHMENT_STORE and, for s3, the bucket and how to reach it. */
export type AttachmentStoreConfig =
  | { kind: 'postgres' }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      /** An S3-compatible server's URL (MinIO, Ceph, a cloud's OSS/COS); absent, AWS S3 itself. */
      endpoint?: string;
      /** Path-style addresses (endpoint/bucket/key), which most S3-compatible servers want. */
      forcePathStyle: boolean;
      /** Absent, the SDK's own chain (instance role, AWS_* variables, shared files). */
      credentials?: { accessKeyId: string; secretAccessKey: string };
    };

export const ATTACHMENT_STORES = ['postgres', 's3'] as const;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The development secret: refused in production, so a deployment cannot forget to set its own. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-do-not-use-in-production';

/**
 * Database passwords refused in production: the one `npm start`/`npm test` give their local cluster
 * (scripts/lib/postgres.js) and the usual defaults of examples and images.
 */
export const WELL_KNOWN_DATABASE_PASSWORDS: readonly string[] = ['rectification', 'postgres', 'password', 'changeme', 'secret', 'admin', '123456', '12345678', 'pw'];

interface VariableSpec {
  name: string;
  description: string;
  /** How to show a refused value in a message without printing a secret (default: as it is). */
  show?: (value: string) => string;
  /** Apps that cannot start without it (no default). */
  requiredBy: AppName[];
  default?: string;
  validate: (value: string) => string | undefined;
}

const isPort = (v: string) =>
  /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'must be a TCP port number 1–65535';

const isPostgresUrl = (v: string) => {
  try {
    const url = new URL(v);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return 'must start with postgres:// or postgresql://';
    if (!url.hostname) return 'must name a host';
    if (url.pathname.length <= 1) return 'must name a database (postgres://user@host:port/DATABASE)';
    return undefined;
  } catch {
    return 'must be a URL such as postgres://user:password@host:5432/database';
  }
};

const isHostPort = (v: string) =>
  /^[A-Za-z0-9.\-]+:\d{1,5}$/.test(v) || /^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(v)
    ? undefined
    : 'must be host:port, for example 127.0.0.1:7233';

const isIdentifier = (v: string) =>
  /^[A-Za-z0-9][A-Za-z0-9._\-]{0,199}$/.test(v) ? undefined : 'must be letters, digits, ".", "_" or "-"';

const isNodeEnv = (v: string) =>
  ['development', 'test', 'production'].includes(v) ? undefined : 'must be development, test or production';

const isDuration = (v: string) => (/^\d+[smhd]$/.test(v) ? undefined : 'must be a duration such as 30m, 8h or 1d');

const MB = 1024 * 1024;

const DURATION_UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration as isDuration accepts it ("30m", "8h", "1d"), in milliseconds. */
export function durationMs(value: string): number {
  const m = /^(\d+)([smhd])$/.exec(value);
  if (!m) throw new Error(`not a duration: ${value}`);
  return Number(m[1]) * DURATION_UNIT_MS[m[2]];
}

const isLockoutWindow = (v: string) => {
  if (isDuration(v)) return isDuration(v);
  const ms = durationMs(v);
  return ms >= 1000 && ms <= 86_400_000 ? undefined : 'must be a duration from 1s to 1d, such as 15m';
};

const isMaxFailures = (v: string) =>
  /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : 'must be a whole number from 1 to 1000';

const isMaxAddressFailures = (v: string) =>
  /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 100_000 ? undefined : 'must be a whole number from 1 to 100000';

/**
 * Express's "trust proxy", limited to what is safe: `false` (the peer's address is the client's), a
 * number of proxy hops, or the proxies' addresses/subnets and the names loopback, linklocal and
 * uniquelocal. `true` is refused: it would trust an X-Forwarded-For header any client can write, and
 * let anyone pick the address the sign-in limit counts against.
 */
const isTrustProxy = (v: string) => {
  if (v === 'false' || /^([1-9]|10)$/.test(v)) return undefined;
  const parts = v.split(',').map((p) => p.trim());
  const ok = parts.every(
    (p) => ['loopback', 'linklocal', 'uniquelocal'].includes(p) || /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(p) || /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/\d{1,3})?$/.test(p),
  );
  return ok
    ? undefined
    : 'must be false, a number of proxy hops (1–10), or proxy addresses/subnets such as loopback, uniquelocal or 10.0.0.0/8 (true is refused: any client could then choose its own address)';
};

const isSecret = (v: string) => (v.length >= 32 ? undefined : 'must be at least 32 characters');

const isHashRounds = (v: string) =>
  /^\d+$/.test(v) && Number(v) >= 4 && Number(v) <= 15 ? undefined : 'must be a bcrypt cost from 4 to 15';

const isHttpUrl = (v: string) => (/^https?:\/\/\S+$/.test(v) ? undefined : 'must be an http(s) URL');

/** A whole number from min to max, as validate() wants it. */
const isWholeNumber = (min: number, max: number) => (v: string) =>
  /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max ? undefined : `must be a whole number from ${min} to ${max}`;

/** A metrics port, or "off" for none. */
const isMetricsPort = (v: string) => (v === 'off' || isPort(v) === undefined ? undefined : 'must be a TCP port number 1–65535 or off');

/** The worker's memory budget: below 384 MB its own code, connections and work in flight leave little room for a cache. */
export const WORKER_MEMORY_MB_RANGE = { min: 384, max: 65536 } as const;

const isWorkerMemory = (v: string) =>
  /^\d+$/.test(v) && Number(v) >= WORKER_MEMORY_MB_RANGE.min && Number(v) <= WORKER_MEMORY_MB_RANGE.max
    ? undefined
    : `must be the worker's memory budget in MB, a whole number from ${WORKER_MEMORY_MB_RANGE.min} to ${WORKER_MEMORY_MB_RANGE.max} ` +
      `(工作进程的内存预算须为 ${WORKER_MEMORY_MB_RANGE.min} 至 ${WORKER_MEMORY_MB_RANGE.max} 之间的整数，单位 MB)`;

const isCacheSize = (v: string) =>
  /^\d+$/.test(v) && Number(v) >= 2 && Number(v) <= 1_000_000 ? undefined : 'must be a whole number from 2 to 1000000';

/** TEMPORAL_WORKER_GRPC_COMPRESSION's default (the bench's baseline worker connects the same way). */
export const DEFAULT_WORKER_GRPC_COMPRESSION: AppConfig['temporal']['workerGrpcCompression'] = 'none';

/** Every variable the apps read. The README's table and the docker-compose test are checked against it. */
export const CONFIG_VARIABLES: readonly VariableSpec[] = [
  {
    name: 'DATABASE_URL',
    description: 'PostgreSQL connection URL of the read model, users, regions and audit trail',
    requiredBy: ['api', 'worker'],
    show: (v) => v.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@'),
    validate: isPostgresUrl,
  },
  {
    name: 'TEMPORAL_ADDRESS',
    description: 'Temporal frontend gRPC address (host:port)',
    requiredBy: ['api', 'worker'],
    validate: isHostPort,
  },
  {
    name: 'TEMPORAL_NAMESPACE',
    description: 'Temporal namespace of the case workflows',
    requiredBy: [],
    default: 'default',
    validate: isIdentifier,
  },
  {
    name: 'TEMPORAL_TASK_QUEUE',
    description: 'Task queue the worker polls and the API starts workflows on',
    requiredBy: [],
    default: 'rectification-cases',
    validate: isIdentifier,
  },
  {
    name: 'TEMPORAL_WORKER_GRPC_COMPRESSION',
    description:
      "gzip or none: whether the worker compresses what it sends the Temporal server (and asks for compressed answers); none next to the server (the SDK's default gzip costs both sides CPU per workflow task for bandwidth a local network has), gzip across a slow or metered link",
    requiredBy: [],
    default: DEFAULT_WORKER_GRPC_COMPRESSION,
    validate: (v) => (v === 'gzip' || v === 'none' ? undefined : 'must be gzip or none'),
  },
  {
    name: 'API_HOST',
    description: 'Interface the HTTP API listens on',
    requiredBy: [],
    default: '127.0.0.1',
    validate: (v) => (v.trim() ? undefined : 'must not be empty'),
  },
  {
    name: 'API_PORT',
    description: 'Port of the HTTP API',
    requiredBy: [],
    default: '3000',
    validate: isPort,
  },
  {
    name: 'TEMPORAL_UI_URL',
    description: 'Address of the Temporal Web UI, shown to users (optional)',
    requiredBy: [],
    validate: isHttpUrl,
  },
  {
    name: 'JWT_SECRET',
    description: 'Secret that signs sign-in tokens (at least 32 characters; required, and not the development default, in production)',
    requiredBy: [],
    default: DEVELOPMENT_JWT_SECRET,
    show: (v) => `${v.length} characters`,
    validate: isSecret,
  },
  {
    name: 'JWT_TTL',
    description: 'Lifetime of a sign-in token',
    requiredBy: [],
    default: '8h',
    validate: isDuration,
  },
  {
    name: 'PASSWORD_HASH_ROUNDS',
    description: 'bcrypt cost of password hashes (slow on purpose)',
    requiredBy: [],
    default: '12',
    validate: isHashRounds,
  },
  {
    name: 'LOGIN_MAX_FAILURES',
    description: 'Failed sign-ins of one username from one client address before further attempts answer 429',
    requiredBy: [],
    default: '5',
    validate: isMaxFailures,
  },
  {
    name: 'LOGIN_MAX_FAILURES_PER_ADDRESS',
    description: 'Failed sign-ins from one client address, over all usernames, before further attempts from it answer 429',
    requiredBy: [],
    default: '30',
    validate: isMaxAddressFailures,
  },
  {
    name: 'LOGIN_LOCKOUT_WINDOW',
    description: 'How long failed sign-ins count, and how long a lock-out lasts',
    requiredBy: [],
    default: '15m',
    validate: isLockoutWindow,
  },
  {
    name: 'TRUST_PROXY',
    description: 'Reverse proxies whose X-Forwarded-For gives the client address (false, hop count, or addresses/subnets)',
    requiredBy: [],
    default: 'false',
    validate: isTrustProxy,
  },
  {
    name: 'API_HEAVY_READS_PER_USER',
    description: 'Dashboards, exports and batch views one user may have in flight at once; more answer 429 with Retry-After',
    requiredBy: [],
    default: '2',
    validate: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 100 ? undefined : 'must be an integer from 1 to 100'),
  },
  {
    name: 'OUTBOUND_ALLOW',
    description:
      'Origins notification channels may reach although they are plain http or inside the network, e.g. http://127.0.0.1:* for the local receivers of tests and demos (comma-separated; refused in production)',
    requiredBy: [],
    validate: (v) => {
      const parsed = parseOutboundAllow(v);
      return typeof parsed === 'string' ? `must be comma-separated origins such as http://127.0.0.1:*: ${parsed}` : undefined;
    },
  },
  {
    name: 'MAX_CHANNELS_PER_TOWNSHIP',
    description: 'Notification channels one township may have (each runs a dispatcher workflow)',
    requiredBy: [],
    default: '5',
    validate: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 50 ? undefined : 'must be an integer from 1 to 50'),
  },
  {
    name: 'WORKER_MAX_CACHED_WORKFLOWS',
    description: 'Workflows the worker keeps in memory between their tasks (default: as many as WORKER_MEMORY_MB holds)',
    requiredBy: [],
    validate: isCacheSize,
  },
  {
    name: 'TEMPORAL_WORKFLOW_STACK_TRACES',
    description:
      "1: the worker records where each workflow waits, for Temporal's __stack_trace query (the UI's Stack Trace tab), at about a third of its workflow thread's time; off unless 1 (patches/@temporalio+worker+1.24.0.patch)",
    requiredBy: [],
    validate: (v) => (v === '0' || v === '1' ? undefined : 'must be 0 or 1'),
  },
  {
    name: 'WORKER_MEMORY_MB',
    description: "The worker's memory budget in MB: its workflow cache is sized to fit, and its V8 heap limit (--max-old-space-size) is set to it",
    requiredBy: [],
    default: '512',
    validate: isWorkerMemory,
  },
  {
    name: 'IMPORT_MAX_FILE_MB',
    description: 'Largest spreadsheet (.xlsx or .csv) an import accepts, in MB',
    requiredBy: [],
    default: '5',
    validate: isWholeNumber(1, 100),
  },
  {
    name: 'IMPORT_MAX_UNCOMPRESSED_MB',
    description: 'Largest an imported .xlsx may expand to when unzipped, in MB',
    requiredBy: [],
    default: '50',
    validate: isWholeNumber(1, 1000),
  },
  {
    name: 'IMPORT_MAX_ROWS',
    description: 'Data rows an import file may hold',
    requiredBy: [],
    default: '20000',
    validate: isWholeNumber(1, 1_000_000),
  },
  {
    name: 'IMPORT_MAX_REPORTED_PROBLEMS',
    description: 'Problems of an import listed in its answer (the rest are counted)',
    requiredBy: [],
    default: '200',
    validate: isWholeNumber(1, 10_000),
  },
  {
    name: 'ATTACHMENT_MAX_FILE_MB',
    description: 'Largest attachment (photo, PDF, Office file) one upload may carry, in MB',
    requiredBy: [],
    default: '20',
    validate: isWholeNumber(1, 2000),
  },
  {
    name: 'ATTACHMENT_MAX_CASE_MB',
    description: 'All attachments of one case together, in MB',
    requiredBy: [],
    default: '500',
    validate: isWholeNumber(1, 100_000),
  },
  {
    name: 'ATTACHMENT_STORE',
    description: 'Where attachment content lives: postgres (rows in the database) or s3 (an S3-compatible bucket; needs S3_BUCKET)',
    requiredBy: [],
    default: 'postgres',
    validate: (v) => ((ATTACHMENT_STORES as readonly string[]).includes(v) ? undefined : `must be one of ${ATTACHMENT_STORES.join(', ')}`),
  },
  {
    name: 'S3_ENDPOINT',
    description: 'URL of the S3-compatible server (e.g. http://minio:9000); unset, AWS S3 of S3_REGION',
    requiredBy: [],
    validate: isHttpUrl,
  },
  {
    name: 'S3_BUCKET',
    description: 'Bucket of the attachments when ATTACHMENT_STORE=s3 (it must exist)',
    requiredBy: [],
    validate: (v) => (/^[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]$/.test(v) ? undefined : 'must be a bucket name: 3–63 lower-case letters, digits, "." or "-"'),
  },
  {
    name: 'S3_REGION',
    description: 'Region of the bucket (S3-compatible servers mostly accept any, e.g. us-east-1)',
    requiredBy: [],
    default: 'us-east-1',
    validate: isIdentifier,
  },
  {
    name: 'S3_ACCESS_KEY_ID',
    description: 'Access key of the bucket (with S3_SECRET_ACCESS_KEY); unset, the SDK\'s default credentials',
    requiredBy: [],
    validate: (v) => (/^\S{3,128}$/.test(v) ? undefined : 'must be 3–128 characters without spaces'),
  },
  {
    name: 'S3_SECRET_ACCESS_KEY',
    description: 'Secret key of the bucket (with S3_ACCESS_KEY_ID)',
    requiredBy: [],
    show: (v) => `${v.length} characters`,
    validate: (v) => (/^\S{8,256}$/.test(v) ? undefined : 'must be 8–256 characters without spaces'),
  },
  {
    name: 'S3_FORCE_PATH_STYLE',
    description: 'Address the bucket as endpoint/bucket (true, what MinIO and most S3-compatible servers want) or bucket.endpoint (false)',
    requiredBy: [],
    default: 'false',
    validate: (v) => (v === 'true' || v === 'false' ? undefined : 'must be true or false'),
  },
  {
    name: 'LOG_LEVEL',
    description: 'Least severe log lines written: fatal, error, warn, info, debug, trace or silent',
    requiredBy: [],
    default: 'info',
    validate: (v) => ((LOG_LEVELS as readonly string[]).includes(v) ? undefined : `must be one of ${LOG_LEVELS.join(', ')}`),
  },
  {
    name: 'LOG_FORMAT',
    description: 'json (one JSON object a line: files, production) or pretty (for a person at a terminal); default: pretty on a terminal outside production, json otherwise',
    requiredBy: [],
    validate: (v) => (v === 'json' || v === 'pretty' ? undefined : 'must be json or pretty'),
  },
  {
    name: 'METRICS_HOST',
    description: 'Interface the Prometheus endpoints of API and worker listen on (keep them off the public network)',
    requiredBy: [],
    default: '127.0.0.1',
    // An address, not a name: the worker's endpoint is bound by the Temporal SDK's core, which takes only addresses.
    validate: (v) => (/^\d{1,3}(\.\d{1,3}){3}$/.test(v) || /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*$/.test(v) ? undefined : 'must be an IP address such as 127.0.0.1 or 0.0.0.0'),
  },
  {
    name: 'METRICS_PORT',
    description: "Port of the API's Prometheus endpoint (GET /metrics: requests, cases, deadlines, escalations, deliveries), or off",
    requiredBy: [],
    default: '9464',
    validate: isMetricsPort,
  },
  {
    name: 'WORKER_METRICS_PORT',
    description: "Port of the worker's Prometheus endpoint (the Temporal SDK's metrics: task latencies, sticky cache), or off",
    requiredBy: [],
    default: '9465',
    validate: isMetricsPort,
  },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    description: 'OpenTelemetry collector (OTLP over HTTP, e.g. http://otel-collector:4318) that receives traces; tracing is off without it',
    requiredBy: [],
    validate: isHttpUrl,
  },
  {
    name: 'NODE_ENV',
    description: 'development, test or production',
    requiredBy: [],
    default: 'development',
    validate: isNodeEnv,
  },
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration (配置错误):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment for one app; throws ConfigError naming every bad variable. */
export function loadConfig(app: AppName, env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const values = new Map<string, string | undefined>();
  for (const spec of CONFIG_VARIABLES) {
    const raw = env[spec.name];
    const value = raw === undefined || raw === '' ? spec.default : raw;
    if (value === undefined) {
      if (spec.requiredBy.includes(app)) problems.push(`${spec.name} is required (${spec.description})`);
      values.set(spec.name, undefined);
      continue;
    }
    const problem = spec.validate(value);
    if (problem) problems.push(`${spec.name} ${problem} (got ${spec.show ? spec.show(value) : `"${value}"`})`);
    values.set(spec.name, value);
  }
  problems.push(...attachmentStoreProblems(values));
  if (values.get('NODE_ENV') === 'production') problems.push(...defaultSecretsInProduction(app, values));
  if (problems.length > 0) throw new ConfigError(problems);

  const get = (name: string) => values.get(name) as string;
  return {
    nodeEnv: get('NODE_ENV') as AppConfig['nodeEnv'],
    databaseUrl: get('DATABASE_URL'),
    temporal: {
      address: get('TEMPORAL_ADDRESS'),
      namespace: get('TEMPORAL_NAMESPACE'),
      taskQueue: get('TEMPORAL_TASK_QUEUE'),
      workerGrpcCompression: get('TEMPORAL_WORKER_GRPC_COMPRESSION') as AppConfig['temporal']['workerGrpcCompression'],
    },
    api: { host: get('API_HOST'), port: Number(get('API_PORT')), trustProxy: trustProxyValue(get('TRUST_PROXY')), heavyReadsPerUser: Number(get('API_HEAVY_READS_PER_USER')) },
    worker: {
      maxCachedWorkflows: values.get('WORKER_MAX_CACHED_WORKFLOWS') === undefined ? undefined : Number(values.get('WORKER_MAX_CACHED_WORKFLOWS')),
      memoryMb: Number(get('WORKER_MEMORY_MB')),
    },
    observability: {
      logLevel: get('LOG_LEVEL') as LogLevelName,
      logFormat: values.get('LOG_FORMAT') as AppConfig['observability']['logFormat'],
      metricsHost: get('METRICS_HOST'),
      apiMetricsPort: get('METRICS_PORT') === 'off' ? undefined : Number(get('METRICS_PORT')),
      workerMetricsPort: get('WORKER_METRICS_PORT') === 'off' ? undefined : Number(get('WORKER_METRICS_PORT')),
      otlpEndpoint: values.get('OTEL_EXPORTER_OTLP_ENDPOINT'),
    },
    temporalUiUrl: values.get('TEMPORAL_UI_URL'),
    outbound: {
      allow: values.get('OUTBOUND_ALLOW') === undefined ? [] : (parseOutboundAllow(get('OUTBOUND_ALLOW')) as AllowedOrigin[]),
      maxChannelsPerTownship: Number(get('MAX_CHANNELS_PER_TOWNSHIP')),
    },
    auth: {
      jwtSecret: get('JWT_SECRET'),
      jwtTtl: get('JWT_TTL'),
      passwordHashRounds: Number(get('PASSWORD_HASH_ROUNDS')),
      loginMaxFailures: Number(get('LOGIN_MAX_FAILURES')),
      loginMaxFailuresPerAddress: Number(get('LOGIN_MAX_FAILURES_PER_ADDRESS')),
      loginLockoutWindowMs: durationMs(get('LOGIN_LOCKOUT_WINDOW')),
    },
    imports: {
      maxFileBytes: Number(get('IMPORT_MAX_FILE_MB')) * MB,
      maxUncompressedBytes: Number(get('IMPORT_MAX_UNCOMPRESSED_MB')) * MB,
      maxRows: Number(get('IMPORT_MAX_ROWS')),
      maxReportedProblems: Number(get('IMPORT_MAX_REPORTED_PROBLEMS')),
    },
    attachments: {
      maxFileBytes: Number(get('ATTACHMENT_MAX_FILE_MB')) * MB,
      maxCaseBytes: Number(get('ATTACHMENT_MAX_CASE_MB')) * MB,
      store: attachmentStoreOf(values),
    },
  };
}

/** ATTACHMENT_STORE=s3 needs its bucket, and a key pair is given whole or not at all. */
function attachmentStoreProblems(values: Map<string, string | undefined>): string[] {
  if (values.get('ATTACHMENT_STORE') !== 's3') return [];
  const problems: string[] = [];
  if (values.get('S3_BUCKET') === undefined) problems.push('S3_BUCKET is required when ATTACHMENT_STORE=s3 (the bucket of the attachments)');
  if ((values.get('S3_ACCESS_KEY_ID') === undefined) !== (values.get('S3_SECRET_ACCESS_KEY') === undefined))
    problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both, or neither for the SDK\'s default credentials');
  return problems;
}

function attachmentStoreOf(values: Map<string, string | undefined>): AttachmentStoreConfig {
  if (values.get('ATTACHMENT_STORE') !== 's3') return { kind: 'postgres' };
  const accessKeyId = values.get('S3_ACCESS_KEY_ID');
  const secretAccessKey = values.get('S3_SECRET_ACCESS_KEY');
  const endpoint = values.get('S3_ENDPOINT');
  return {
    kind: 's3',
    bucket: values.get('S3_BUCKET') as string,
    region: values.get('S3_REGION') as string,
    ...(endpoint ? { endpoint } : {}),
    forcePathStyle: values.get('S3_FORCE_PATH_STYLE') === 'true',
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  };
}

/**
 * Production runs only with secrets of its own: never the development JWT secret or one that looks
 * like a placeholder, never a well-known database password. (Demo accounts, whose password is
 * published, are refused by the API at start-up and by the demo seed; see apps/api/src/demo.) Nor
 * with OUTBOUND_ALLOW, which opens the internal network to notification channels.
 */
function defaultSecretsInProduction(app: AppName, values: Map<string, string | undefined>): string[] {
  const problems: string[] = [];
  const jwtSecret = values.get('JWT_SECRET');
  if (app === 'api' && jwtSecret !== undefined) {
    if (jwtSecret === DEVELOPMENT_JWT_SECRET) {
      problems.push('JWT_SECRET must be set to a secret of your own in production (the development default is refused)');
    } else if (isSecret(jwtSecret) === undefined && looksLikePlaceholder(jwtSecret)) {
      problems.push('JWT_SECRET looks like a placeholder, not a random secret (too few different characters, or words such as "changeme"): generate one, e.g. `openssl rand -hex 32`');
    }
  }
  const outboundAllow = values.get('OUTBOUND_ALLOW');
  if (outboundAllow !== undefined && outboundAllow.trim() !== '') {
    // The allowance lets channels reach plain http and addresses inside the network: tests and demos only.
    problems.push('OUTBOUND_ALLOW must not be set in production: notification channels may only reach public https addresses');
  }
  const databaseUrl = values.get('DATABASE_URL');
  if (databaseUrl !== undefined && isPostgresUrl(databaseUrl) === undefined) {
    const url = new URL(databaseUrl);
    const password = decodeURIComponent(url.password);
    const user = decodeURIComponent(url.username);
    if (WELL_KNOWN_DATABASE_PASSWORDS.includes(password.toLowerCase()) || (password !== '' && password === user)) {
      problems.push(`DATABASE_URL uses a well-known default password for user "${user}" in production: give the database role a password of your own`);
    }
  }
  return problems;
}

function looksLikePlaceholder(secret: string): boolean {
  return new Set(secret).size < 8 || /change.?me|replace.?me|your.?secret|placeholder|do.?not.?use|not.?secret/i.test(secret);
}

function trustProxyValue(value: string): AppConfig['api']['trustProxy'] {
  if (value === 'false') return false;
  return /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * For a process entry point: load the config or print the problems and exit with status 78
 * (EX_CONFIG), so a supervisor sees a configuration failure rather than a crash loop mystery.
 */
export function loadConfigOrExit(app: AppName): AppConfig {
  try {
    return loadConfig(app);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[${app}] ${err.message}`);
      process.exit(78);
    }
    throw err;
  }
}
