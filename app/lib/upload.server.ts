import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from '@remix-run/node'

/**
 * A multipart form with at most one file, read into memory under hard limits: the file part
 * (`fileField`) at most `maxFileBytes`, every other part at most `maxTextBytes`, at most
 * `maxParts` parts. Any other file part is read under the text limit and dropped. A request
 * that says up front it is too large is refused without reading it.
 */
export type UploadResult =
  | { ok: true; fields: Record<string, string>; file: { filename: string; bytes: Buffer } | null }
  | { ok: false; problem: 'too_large' | 'malformed'; field: string | null }

class TooManyParts extends Error {}

export async function readUpload(
  request: Request,
  opts: { fileField: string; maxFileBytes: number; maxTextBytes?: number; maxParts?: number },
): Promise<UploadResult> {
  const maxText = opts.maxTextBytes ?? 8 * 1024
  const maxParts = opts.maxParts ?? 20
  const declared = Number(request.headers.get('Content-Length') ?? NaN)
  if (Number.isFinite(declared) && declared > opts.maxFileBytes + maxParts * maxText)
    return { ok: false, problem: 'too_large', field: opts.fileField }
  if (!/^multipart\/form-data\s*;/i.test(request.headers.get('Content-Type') ?? '')) return { ok: false, problem: 'malformed', field: null }

  const fileHandler = unstable_createMemoryUploadHandler({ maxPartSize: opts.maxFileBytes })
  const textHandler = unstable_createMemoryUploadHandler({ maxPartSize: maxText })
  let parts = 0
  let files = 0
  const handler: UploadHandler = async (part) => {
    if (++parts > maxParts) throw new TooManyParts()
    if (typeof part.filename === 'string') {
      if (part.name === opts.fileField && ++files === 1) return fileHandler(part)
      await textHandler({ ...part, filename: undefined })
      return undefined
    }
    return textHandler(part)
  }

  let form: FormData
  try {
    form = await unstable_parseMultipartFormData(request, handler)
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return { ok: false, problem: 'too_large', field: e.field }
    return { ok: false, problem: 'malformed', field: null }
  }
  const fields: Record<string, string> = {}
  let file: { filename: string; bytes: Buffer } | null = null
  for (const [k, v] of form) {
    if (typeof v === 'string') fields[k] = v
    else if (k === opts.fileField && v.size > 0) file = { filename: v.name, bytes: Buffer.from(await v.arrayBuffer()) }
  }
  return { ok: true, fields, file }
}
