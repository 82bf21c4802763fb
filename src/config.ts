import path from 'node:path';
import { z } from 'zod';

export type NodeEnv = 'production' | 'development' | 'test';

export interface Config {
  readonly env: NodeEnv;
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Undefined outside production until server.ts generates or loads the development secret. */
  readonly sessionSecret: string | undefined;
  readonly bcryptRounds: number;
  readonly logLevel: string;
  readonly sessionMaxAgeMs: number;
  /** Login and registration throttling (per process: counters live in memory). */
  readonly throttle: {
    readonly windowMs: number;
    readonly loginFailuresPerEmail: number;
    readonly loginFailuresPerIp: number;
    readonly registrationsPerIp: number;
  };
  /** Express's 'trust proxy' (e.g. `loopback`, or the number of hops), for a TLS proxy in front; off by default. */
  readonly trustProxy: boolean | number | string;
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
  TRUST_PROXY: z.string().min(1).optional(),
  WEB_CONCURRENCY: intFrom(1, 64).default(1),
  INSTANCE_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"')
    .optional(),
});

/** 'true' / 'false', a hop count, or addresses and names such as `loopback, 10.0.0.0/8`. */
function parseTrustProxy(value: string | undefined): boolean | number | string {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  return /^\d+$/.test(value) ? Number(value) : value;
}

const FOURTEEN_DAYS_MS = 14 * 24 * 60 * 60 * 1000;

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
  return Object.freeze({
    env: vars.NODE_ENV,
    port: vars.PORT,
    host: vars.HOST,
    dataDir: path.resolve(vars.DATA_DIR),
    sessionSecret: vars.SESSION_SECRET,
    bcryptRounds: vars.BCRYPT_ROUNDS,
    logLevel: vars.LOG_LEVEL,
    sessionMaxAgeMs: FOURTEEN_DAYS_MS,
    throttle: Object.freeze({
      windowMs: vars.THROTTLE_WINDOW_MINUTES * 60 * 1000,
      loginFailuresPerEmail: vars.LOGIN_MAX_FAILURES_PER_EMAIL,
      loginFailuresPerIp: vars.LOGIN_MAX_FAILURES_PER_IP,
      registrationsPerIp: vars.REGISTER_MAX_PER_IP,
    }),
    trustProxy: parseTrustProxy(vars.TRUST_PROXY),
    webConcurrency: vars.WEB_CONCURRENCY,
    instanceName: vars.INSTANCE_NAME,
  });
}
