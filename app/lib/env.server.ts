import { z } from 'zod'

/** An http(s) address with nothing after the host (a trailing slash aside). */
function isBareOrigin(value: string): boolean {
  if (!URL.canParse(value)) return false
  const u = new URL(value)
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.pathname === '/' && !u.search && !u.hash
}

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
  /**
   * The address people use to reach the platform, printed in certificates' verify links and the
   * OpenAPI `servers` URL. Required in production (`npm start` sets http://localhost:PORT when
   * unset); in development and tests, unset means "this machine's address, if the request came
   * to localhost" (app/lib/origin.server.ts), never whatever `Host` a request claims.
   */
  XUESHI_PUBLIC_URL: z
    .string()
    .url({ message: 'XUESHI_PUBLIC_URL must be a URL such as https://xueshi.example.cn' })
    .refine(isBareOrigin, { message: 'XUESHI_PUBLIC_URL must be an http(s) address without a path, such as https://xueshi.example.cn' })
    .optional(),
  /**
   * The SMS provider (password-reset codes): an HTTP endpoint taking `POST {to, text}` with a
   * bearer key (app/lib/sms.server.ts). Unset: the local channel (server log + /dev/outbox),
   * refused in production unless `XUESHI_SMS_LOCAL=1` (set by `npm start` when it provides the
   * local services of a fresh clone).
   */
  XUESHI_SMS_URL: z.string().url({ message: 'XUESHI_SMS_URL must be the http(s) address of the SMS provider' }).optional(),
  XUESHI_SMS_KEY: z.string().optional(),
  XUESHI_SMS_LOCAL: z.enum(['0', '1']).optional(),
  /**
   * Where the worker writes compliance export files and the web process reads them for download
   * (both must see the same folder). Unset: `xueshi-exports` under the system's temporary folder.
   */
  XUESHI_EXPORT_DIR: z.string().min(1).optional(),
  /** Number of proxy hops to trust for X-Forwarded-* (0 = none). */
  TRUST_PROXY: z.coerce.number().int().min(0).default(0),
})

const EnvSchemaChecked = EnvSchema.superRefine((env, ctx) => {
  if (env.NODE_ENV === 'production' && !env.XUESHI_SMS_URL && env.XUESHI_SMS_LOCAL !== '1') {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['XUESHI_SMS_URL'],
      message:
        'XUESHI_SMS_URL (and XUESHI_SMS_KEY) are required in production: password-reset codes go to people by SMS. ' +
        'The local development channel (codes in the log and on /dev/outbox) runs in production only with XUESHI_SMS_LOCAL=1, ' +
        'which `npm start` sets when it provides the local services itself.',
    })
  }
  if (env.NODE_ENV === 'production' && !env.XUESHI_PUBLIC_URL) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ['XUESHI_PUBLIC_URL'],
      message:
        'XUESHI_PUBLIC_URL is required in production: the address people use to reach the platform (e.g. https://xueshi.example.cn). ' +
        'It is printed in certificates, so it must not be taken from the request.',
    })
  }
})

export type Env = z.infer<typeof EnvSchema>

let cached: Env | undefined

/** The environment from `source`, or an error listing every problem (exported for the tests). */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = EnvSchemaChecked.safeParse(source)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid environment:\n${lines.join('\n')}`)
  }
  return parsed.data
}

export function getEnv(): Env {
  cached ??= parseEnv(process.env)
  return cached
}
