/**
 * The one result convention for expected outcomes (layout.md): a domain function that can be
 * refused for a known reason returns `{ ok: true, …data }` or `{ ok: false, code, …data }`, with
 * the codes of each area as a literal union. The edge maps codes to statuses and messages in the
 * user's language; the domain never builds a sentence. Bugs still throw.
 */
export type Ok<T extends object = object> = { ok: true } & T
export type Err<C extends string, D extends object = object> = { ok: false; code: C } & D
export type Result<T extends object, C extends string, D extends object = object> = Ok<T> | Err<C, D>

export function ok(): Ok
export function ok<T extends object>(data: T): Ok<T>
export function ok<T extends object>(data?: T): Ok<T> {
  return { ok: true, ...(data as T) }
}

export function err<const C extends string>(code: C): Err<C>
export function err<const C extends string, D extends object>(code: C, data: D): Err<C, D>
export function err<const C extends string, D extends object>(code: C, data?: D): Err<C, D> {
  return { ok: false, code, ...(data as D) }
}
