import path from 'node:path';
import { z } from 'zod';
import { MAX_TASKS_PER_USER_DEFAULT } from './limits';

export type NodeEnv = 'production' | 'development' | 'test';

/** Where the data lives: SQLite (the embedded default, a file in DATA_DIR) or PostgreSQL. */
export type DatabaseConfig =
  | { readonly client: 'sqlite'; /** A file, or ':memory:' for tests. */ readonly filename: string }
  | {
      readonly client: 'pg';
      /** postgres://user:password@host:port/database (never logged: it holds the password). */
      readonly url: string;
      /** Connections this process may hold (the session store shares them). */
      readonly poolMax: number;
      /** A statement running longer is cancelled by the server, and the request answers 503. */
      readonly statementTimeoutMs: number;
      /** The schema the tables live in; tests give each database its own. Unset: the role's default. */
      readonly searchPath?: string;
    };

/** The SQLite database file in DATA_DIR. */
export const databaseFile = (dataDir: string) => path.join(dataDir, 'get-it-done.sqlite3');

export interface Config {
  readonly env: NodeEnv;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  /** Undefined outside production until server.ts generates or loads the development secret. */
  readonly sessionSecret: string | undefined;
  readonly bcryptRounds: number;
  /** A secret mixed into every password hash (HMAC), kept outside the database; optional. */
  readonly passwordPepper: string | undefined;
  readonly logLevel: string;
  /** How long a session lasts without a visit (the cookie and the store's expiry roll). */
  readonly sessionMaxAgeMs: number;
  /** How long a login lasts at most, however often it is used. */
  readonly sessionAbsoluteMs: number;
  /** Login and registration throttling (counters in the database, shared by every process). */
  readonly throttle: {
    readonly windowMs: number;
    readonly loginFailuresPerEmail: number;
    readonly loginFailuresPerIp: number;
    readonly registrationsPerIp: number;
  };
  /** The most tasks one account may hold: an add or import past it is refused. */
  readonly maxTasksPerUser: number;
  /** Express's 'trust proxy' (e.g. `loopback`, or the number of hops), for a TLS proxy in front; off by default. */
  readonly trustProxy: false | number | string;
  /** Where people reach the app, without a trailing slash: links in emails start with it. */
  readonly baseUrl: string;
  readonly mail: {
    /** SMTP with SMTP_URL; otherwise .eml files in outboxDir, except in production: no mail at all. */
    readonly transport: 'smtp' | 'outbox' | 'none';
    /** Holds the SMTP password: never log it. */
    readonly smtpUrl: string | undefined;
    readonly from: string;
    readonly outboxDir: string;
  };
  /** How many worker processes serve (node:cluster); 1 serves from this process alone. */
  readonly webConcurrency: number;
  /** Sent as the X-Instance response header (with /<worker id> when there are workers); unset: none. */
  readonly instanceName: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  PORT: intFrom(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  BCRYPT_ROUNDS: intFrom(4, 31).default(12),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  THROTTLE_WINDOW_MINUTES: intFrom(1, 24 * 60).default(15),
  LOGIN_MAX_FAILURES_PER_EMAIL: intFrom(1, 1_000_000).default(10),
  LOGIN_MAX_FAILURES_PER_IP: intFrom(1, 1_000_000).default(50),
  REGISTER_MAX_PER_IP: intFrom(1, 1_000_000).default(20),
  MAX_TASKS_PER_USER: intFrom(1, 100_000_000).default(MAX_TASKS_PER_USER_DEFAULT),
  TRUST_PROXY: z.string().min(1).optional(),
  SESSION_MAX_AGE_DAYS: intFrom(1, 365).default(30),
  PASSWORD_PEPPER: z.string().min(32, 'must be at least 32 characters').optional(),
  // The messages never repeat the value: SMTP_URL carries a password.
  SMTP_URL: z
    .string()
    .refine(isSmtpUrl, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587')
    .optional(),
  MAIL_FROM: z
    .string()
    .refine(
      isMailbox,
      'must be an address, or a name and an address, e.g. Get It Done! <no-reply@example.com>',
    )
    .optional(),
  BASE_URL: z
    .string()
    .refine(
      isBaseUrl,
      'must be an http:// or https:// URL with no query or fragment, e.g. https://todo.example.com',
    )
    .optional(),
  // Checked by hand in databaseFrom(): a zod message would quote the URL, and with it the password.
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_MAX: intFrom(1, 1000).default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: intFrom(100, 10 * 60 * 1000).default(5000),
  WEB_CONCURRENCY: intFrom(1, 64).default(1),
  INSTANCE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"')
    .optional(),
});

type EnvVars = z.infer<typeof envSchema>;

/** DATABASE_URL unset: SQLite in DATA_DIR; postgres:// or postgresql://: PostgreSQL; anything else stops the start. */
function databaseFrom(vars: EnvVars, dataDir: string): DatabaseConfig {
  const url = vars.DATABASE_URL;
  if (url === undefined) return { client: 'sqlite', filename: databaseFile(dataDir) };
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // A host, or a Unix socket directory (postgres:///db?host=/var/run/postgresql).
  const hasServer = parsed && (parsed.hostname !== '' || parsed.searchParams.has('host'));
  if (!parsed || !['postgres:', 'postgresql:'].includes(parsed.protocol) || !hasServer) {
    throw new ConfigError(
      'Invalid configuration: DATABASE_URL must be a PostgreSQL URL such as ' +
        'postgres://user:password@127.0.0.1:5432/get_it_done (leave it unset to use SQLite in DATA_DIR).',
    );
  }
  return {
    client: 'pg',
    url,
    poolMax: vars.DATABASE_POOL_MAX,
    statementTimeoutMs: vars.DATABASE_STATEMENT_TIMEOUT_MS,
  };
}

function parsedUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isSmtpUrl(value: string): boolean {
  const url = parsedUrl(value);
  return url !== undefined && (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
}

function isBaseUrl(value: string): boolean {
  const url = parsedUrl(value);
  return (
    url !== undefined &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    !url.username &&
    !url.password &&
    !url.search &&
    !url.hash &&
    !value.includes('?') &&
    !value.includes('#')
  );
}

/** `name@example.com` or `Some Name <name@example.com>`; no line breaks (they would forge headers). */
function isMailbox(value: string): boolean {
  if (value.length > 320 || [...value].some((ch) => ch < ' ' || ch === '\x7f')) return false;
  const address = /^[^<>]*<([^<>\s]+)>$/.exec(value.trim())?.[1] ?? value.trim();
  return z.email().safeParse(address).success;
}

/** Without BASE_URL (development, tests), links point at the address the server listens on. */
function listeningUrl(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/** The default sender's domain: the site's own name, or `localhost` for an address like 127.0.0.1. */
function senderDomain(baseUrl: string): string {
  const { hostname } = new URL(baseUrl);
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/i.test(hostname) ? hostname : 'localhost';
}

/**
 * 'false', a hop count, or addresses and names such as `loopback, 10.0.0.0/8`. Not 'true': that
 * trusts every X-Forwarded-For, so anyone could pick the address every per-address limit counts.
 */
function parseTrustProxy(value: string | undefined): false | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') {
    throw new ConfigError(
      'TRUST_PROXY=true would trust any X-Forwarded-For header, so anyone could choose the address the limits count. ' +
        'Give the number of proxies in front (e.g. TRUST_PROXY=1) or their addresses (e.g. TRUST_PROXY=loopback or 10.0.0.5).',
    );
  }
  return /^\d+$/.test(value) ? Number(value) : value;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const FOURTEEN_DAYS_MS = 14 * DAY_MS;

/** Environment -> typed, frozen config. Throws ConfigError naming the bad variable; never exits. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankAsMissing = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(blankAsMissing);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const vars = parsed.data;
  if (vars.NODE_ENV === 'production' && !vars.SESSION_SECRET) {
    throw new ConfigError(
      'SESSION_SECRET is required when NODE_ENV=production (at least 32 random characters, e.g. `openssl rand -hex 32`).',
    );
  }
  const production = vars.NODE_ENV === 'production';
  if (production && vars.SMTP_URL && !vars.BASE_URL) {
    throw new ConfigError(
      'BASE_URL is required when NODE_ENV=production and SMTP_URL is set: password-reset emails link to it (e.g. https://todo.example.com).',
    );
  }
  if (production && vars.BASE_URL && !vars.BASE_URL.startsWith('https://')) {
    throw new ConfigError(
      'BASE_URL must start with https:// when NODE_ENV=production: password-reset links carry a secret.',
    );
  }
  const baseUrl = (vars.BASE_URL ?? listeningUrl(vars.HOST, vars.PORT)).replace(/\/+$/, '');
  const dataDir = path.resolve(vars.DATA_DIR);
  return Object.freeze({
    env: vars.NODE_ENV,
    port: vars.PORT,
    host: vars.HOST,
    dataDir,
    database: Object.freeze(databaseFrom(vars, dataDir)),
    sessionSecret: vars.SESSION_SECRET,
    bcryptRounds: vars.BCRYPT_ROUNDS,
    passwordPepper: vars.PASSWORD_PEPPER,
    logLevel: vars.LOG_LEVEL,
    sessionMaxAgeMs: FOURTEEN_DAYS_MS,
    sessionAbsoluteMs: vars.SESSION_MAX_AGE_DAYS * DAY_MS,
    throttle: Object.freeze({
      windowMs: vars.THROTTLE_WINDOW_MINUTES * 60 * 1000,
      loginFailuresPerEmail: vars.LOGIN_MAX_FAILURES_PER_EMAIL,
      loginFailuresPerIp: vars.LOGIN_MAX_FAILURES_PER_IP,
      registrationsPerIp: vars.REGISTER_MAX_PER_IP,
    }),
    maxTasksPerUser: vars.MAX_TASKS_PER_USER,
    trustProxy: parseTrustProxy(vars.TRUST_PROXY),
    baseUrl,
    mail: Object.freeze({
      transport: vars.SMTP_URL ? 'smtp' : production ? 'none' : 'outbox',
      smtpUrl: vars.SMTP_URL,
      from: vars.MAIL_FROM ?? `Get It Done! <no-reply@${senderDomain(baseUrl)}>`,
      outboxDir: path.join(dataDir, 'outbox'),
    }),
    webConcurrency: vars.WEB_CONCURRENCY,
    instanceName: vars.INSTANCE_NAME,
  });
}
