import { pino, type DestinationStream, type Logger } from 'pino'

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

let logger: Logger | undefined

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
  if (!logger) logger = createLogger()
  return logger
}

/** Tests swap in a logger that writes to memory, to prove what is (not) logged. */
export function setLogger(l: Logger): void {
  logger = l
}
