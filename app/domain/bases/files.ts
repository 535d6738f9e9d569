/** The URL that serves a base file (app/routes/account/base-file.ts); shared with the pages that list files. */
export const baseFileUrl = (fileId: number) => `/bases/files/${fileId}`
