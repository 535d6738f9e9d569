import { z } from 'zod'

/**
 * Environment of the web and worker processes, parsed once at boot.
 * `npm start` (app/cli/start.ts) fills in the local defaults (embedded PostgreSQL, local Redis,
 * a generated data key) before it starts these processes; here every value is explicit.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.string().url({ message: 'DATABASE_URL must be a postgres:// URL' }),
  REDIS_URL: z.string().url({ message: 'REDIS_URL must be a redis:// URL' }).default('redis://127.0.0.1:6379'),
  /** Prefix for every Redis key (queues, rate limits); lets several deployments or test runs share one Redis. */
  XUESHI_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('xueshi'),
  /** 32 random bytes, base64 or hex: encrypts and indexes personal ID numbers. */
  XUESHI_DATA_KEY: z.string().min(1, 'XUESHI_DATA_KEY is required (32 random bytes, base64 or hex)'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The address people use to reach the platform, printed in certificates' verify links. Default: the request's origin. */
  XUESHI_PUBLIC_URL: z.string().url({ message: 'XUESHI_PUBLIC_URL must be a URL such as https://xueshi.example.cn' }).optional(),
  /** Number of proxy hops to trust for X-Forwarded-* (0 = none). */
  TRUST_PROXY: z.coerce.number().int().min(0).default(0),
})

export type Env = z.infer<typeof EnvSchema>

let cached: Env | undefined

export function getEnv(): Env {
  if (cached) return cached
  const parsed = EnvSchema.safeParse(process.env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid environment:\n${lines.join('\n')}`)
  }
  cached = parsed.data
  return cached
}
