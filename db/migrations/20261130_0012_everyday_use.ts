import type { Kysely } from 'kysely'

// Reserved slot: filled by the change that needs it (an empty migration is harmless).
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
