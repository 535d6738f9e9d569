/**
 * Guessing the encoding of an uploaded CSV. Excel on Chinese Windows saves "CSV" in GBK (a subset of
 * GB18030) unless the user picks "CSV UTF-8", which adds a BOM; other tools write UTF-8 without one.
 * Pure: works on a sample of the file's first bytes.
 */
import iconv from 'iconv-lite'

export type DetectedEncoding = 'utf8' | 'utf8-bom' | 'gb18030' | 'unknown'

/**
 * The sample may end in the middle of a character because it is a cut of a larger file: drop an
 * incomplete UTF-8 sequence at the very end (at most 3 bytes) so it does not count as invalid.
 */
function withoutIncompleteUtf8Tail(sample: Buffer): Buffer {
  for (let back = 1; back <= Math.min(3, sample.length); back++) {
    const byte = sample[sample.length - back]!
    if ((byte & 0xc0) === 0x80) continue // continuation byte: keep looking for the lead byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return needed > back ? sample.subarray(0, sample.length - back) : sample
  }
  return sample
}

function isUtf8(sample: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(withoutIncompleteUtf8Tail(sample))
    return true
  } catch {
    return false
  }
}

// C0 controls other than tab, LF, CR: a "text" that contains them is binary read the wrong way.
// eslint-disable-next-line no-control-regex
const IMPLAUSIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFD]/

function isGb18030Text(sample: Buffer): boolean {
  // write() without end(): a character cut off at the end of the sample stays buffered instead of
  // turning into U+FFFD.
  const text = iconv.getDecoder('gb18030').write(sample)
  return !IMPLAUSIBLE.test(text)
}

export function detectEncoding(sample: Buffer): DetectedEncoding {
  const [b0, b1, b2] = sample
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) return 'unknown' // UTF-16
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return 'utf8-bom'
  if (sample.includes(0)) return 'unknown' // UTF-16 without BOM, or binary
  if (isUtf8(sample)) return 'utf8'
  if (isGb18030Text(sample)) return 'gb18030'
  return 'unknown'
}
