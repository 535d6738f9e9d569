import { beforeAll, describe, expect, test } from 'vitest'

beforeAll(() => {
  process.env.DATABASE_URL ??= 'postgres://unused@127.0.0.1/unused'
  process.env.XUESHI_DATA_KEY = Buffer.alloc(32, 3).toString('base64')
})

describe('personal-data protection', () => {
  test('AES-256-GCM round trip; ciphertext never contains the plain value; random IV', async () => {
    const { encryptPii, decryptPii } = await import('#app/lib/crypto.server.ts')
    const id = '220381198802145677'
    const a = encryptPii(id)
    const b = encryptPii(id)
    expect(decryptPii(a)).toBe(id)
    expect(a.equals(b)).toBe(false)
    expect(a.includes(Buffer.from(id))).toBe(false)
  })

  test('tampered ciphertext is rejected', async () => {
    const { encryptPii, decryptPii } = await import('#app/lib/crypto.server.ts')
    const blob = encryptPii('220381198802145677')
    const last = blob.length - 1
    blob[last] = blob[last]! ^ 1
    expect(() => decryptPii(blob)).toThrow()
  })

  test('look-up hash is stable, keyed and not the plain value', async () => {
    const { lookupHash, sha256 } = await import('#app/lib/crypto.server.ts')
    const id = '220381198802145677'
    expect(lookupHash(id).equals(lookupHash(id))).toBe(true)
    expect(lookupHash(id).equals(sha256(id))).toBe(false)
    expect(lookupHash(id)).toHaveLength(32)
  })

  test('data key must be 32 bytes', async () => {
    const { parseDataKey } = await import('#app/lib/crypto.server.ts')
    expect(parseDataKey('ab'.repeat(32))).toHaveLength(32)
    expect(() => parseDataKey('c2hvcnQ=')).toThrow(/32 bytes/)
  })

  test('log lines mask anything shaped like an ID number', async () => {
    const { scrub } = await import('#app/lib/log.server.ts')
    expect(scrub('{"msg":"login 220381198802145677 failed"}')).toBe('{"msg":"login 220381********5677 failed"}')
    expect(scrub('id=11010519491231002x')).toBe('id=110105********002x')
    expect(scrub('order 12345678901234567890123')).toBe('order 12345678901234567890123')
  })
})
