import { data } from '@remix-run/node'

/** Form fields as strings (files and repeated keys are not used by these forms). */
export async function formFields(request: Request): Promise<Record<string, string>> {
  const form = await request.formData()
  const out: Record<string, string> = {}
  for (const [k, v] of form) if (typeof v === 'string') out[k] = v
  return out
}

export function notFound(): never {
  throw new Response('Not Found', { status: 404 })
}

export function badRequest<T>(body: T) {
  return data(body, { status: 400 })
}
