import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto'

import { getEnv } from './env.server.ts'

/**
 * Personal ID numbers at rest: AES-256-GCM for the value (only the person themself and the
 * certificate/export code paths ever decrypt), HMAC-SHA-256 for exact look-up. Both keys are
 * derived from XUESHI_DATA_KEY with HKDF so one secret is configured, two are used.
 * Ciphertext layout: version(1) | iv(12) | tag(16) | ciphertext.
 */
const VERSION = 1

type Keys = { enc: Buffer; mac: Buffer }
let keys: Keys | undefined

export function parseDataKey(raw: string): Buffer {
  const trimmed = raw.trim()
  const buf = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64')
  if (buf.length !== 32) throw new Error('XUESHI_DATA_KEY must be 32 bytes, given as 64 hex characters or base64')
  return buf
}

export function generateDataKey(): string {
  return randomBytes(32).toString('base64')
}

function getKeys(): Keys {
  if (!keys) {
    const master = parseDataKey(getEnv().XUESHI_DATA_KEY)
    keys = {
      enc: Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'xueshi/pii-encryption/v1', 32)),
      mac: Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'xueshi/pii-lookup/v1', 32)),
    }
  }
  return keys
}

export function encryptPii(plain: string): Buffer {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', getKeys().enc, iv)
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ct])
}

export function decryptPii(blob: Buffer): string {
  if (blob[0] !== VERSION) throw new Error('Unknown PII ciphertext version')
  const iv = blob.subarray(1, 13)
  const tag = blob.subarray(13, 29)
  const decipher = createDecipheriv('aes-256-gcm', getKeys().enc, iv)
  decipher.setAuthTag(tag)
  return Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]).toString('utf8')
}

/** Keyed hash for finding a person by ID number without storing or indexing the number itself. */
export function lookupHash(normalised: string): Buffer {
  return createHmac('sha256', getKeys().mac).update(normalised).digest()
}

/** What a keyed MAC is for; each purpose has its own key derived from XUESHI_DATA_KEY (HKDF info `xueshi/<purpose>/v1`). */
export type MacPurpose = 'seminar-checkin'

const macKeys = new Map<MacPurpose, Buffer>()

/**
 * HMAC-SHA-256 under a key of its own purpose, so a MAC made for one use (a venue check-in code)
 * can never stand for another, and none of them shares a key with the PII look-up hash.
 */
export function macFor(purpose: MacPurpose, data: Buffer | string): Buffer {
  let key = macKeys.get(purpose)
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', parseDataKey(getEnv().XUESHI_DATA_KEY), Buffer.alloc(0), `xueshi/${purpose}/v1`, 32))
    macKeys.set(purpose, key)
  }
  return createHmac('sha256', key).update(data).digest()
}

/** Session tokens and API keys are stored as their SHA-256: a database leak yields no usable token. */
export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}
