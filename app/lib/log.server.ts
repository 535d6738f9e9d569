import { type DestinationStream, type Logger, pino } from 'pino'

import { singleton } from './singleton.server.ts'

/**
 * The one logger. Request bodies, query strings, cookies and authorization headers are never
 * logged (see app/server.ts), and, as a last line of defence, every line written passes through
 * `scrub`, which masks anything shaped like a resident ID number.
 */
const ID_LIKE = /(?<![0-9])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])/g

export function scrub(text: string): string {
  return text.replace(ID_LIKE, '$1********$2')
}

function scrubbing(out: { write(s: string): unknown }): DestinationStream {
  return { write: (line: string) => void out.write(scrub(line)) }
}

// One logger per process (tests swap it for all module copies at once).
const current = singleton('logger', () => ({ logger: undefined as Logger | undefined }))

export function createLogger(out: { write(s: string): unknown } = process.stdout, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]', 'password', 'idNumber'],
        censor: '[redacted]',
      },
    },
    scrubbing(out),
  )
}

export function getLogger(): Logger {
  current.logger ??= createLogger()
  return current.logger
}

/** Tests swap in a logger that writes to memory, to prove what is (not) logged. */
export function setLogger(l: Logger): void {
  current.logger = l
}
