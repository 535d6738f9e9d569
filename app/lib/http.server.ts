import { data } from '@remix-run/node'

/** Field → catalog key, as Conform's `submission.reply({ fieldErrors })` wants them (a list per field). */
export function fieldErrorList(errors: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(errors).map(([field, key]) => [field, [key]]))
}

export function notFound(): never {
  throw new Response('Not Found', { status: 404 })
}

export function badRequest<T>(body: T) {
  return data(body, { status: 400 })
}
