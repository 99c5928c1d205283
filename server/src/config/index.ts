// Server configuration, read once from the environment and validated so a bad value fails loudly at start.
import { z } from 'zod';

const flag = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .default(fallback)
    .transform((v) => v === 'true' || v === '1' || v === 'yes' || (v === '' && fallback === 'true'));

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('./data'),
  TRUST_PROXY: flag('false'),
  /**
   * Run the projector and the recommendation refresher in this process. Any number of processes may (they
   * share sites safely); turn it off for ingest-only processes when others, or one dedicated process, do it.
   */
  BACKGROUND_JOBS: flag('true'),
  /** Requests per second allowed per write key (token bucket refill rate). */
  RATE_LIMIT_RPS: positiveInt(1000),
  /** Burst size of that bucket. */
  RATE_LIMIT_BURST: positiveInt(5000),
  /** Connections in the Postgres pool (ignored on PGlite, which has one). */
  DATABASE_POOL_SIZE: positiveInt(10),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError that names every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `  ${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}
