/** The client's address as app/server.ts determined it (never a header the client chose). */
export function clientIp(request: Request): string {
  return request.headers.get('X-Xueshi-Client-Ip') ?? 'unknown'
}

/** Loopback only: the dev outbox answers nobody else, even when the local SMS channel is on. */
export function isLoopback(request: Request): boolean {
  const ip = request.headers.get('X-Xueshi-Client-Ip') ?? ''
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1'
}
