import { maskIdNumber } from '#app/domain/shared/id-number.ts'
import { decryptPii } from '#app/lib/crypto.server.ts'

/** A stored resident ID as pages show it (220102********1234): decrypted only to be masked. */
export function maskedIdNumber(blob: Buffer): string {
  return maskIdNumber(decryptPii(blob))
}
