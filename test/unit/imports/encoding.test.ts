import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'

import { detectEncoding } from '#app/domain/imports/encoding.ts'

const ROSTER = '姓名,身份证号码,学时\n张三,220102198001011234,8\n阿依古丽·买买提,22010219800101100X,4.5\n'

describe('detectEncoding', () => {
  it('reads plain ASCII and UTF-8 as utf8', () => {
    expect(detectEncoding(Buffer.from('name,id\nZhang,1\n'))).toBe('utf8')
    expect(detectEncoding(Buffer.from(ROSTER, 'utf8'))).toBe('utf8')
  })

  it('recognises the BOM Excel writes for "CSV UTF-8"', () => {
    expect(detectEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ROSTER)]))).toBe('utf8-bom')
  })

  it('keeps a UTF-8 sample cut in the middle of a character as utf8', () => {
    const bytes = Buffer.from(ROSTER, 'utf8')
    // 姓 is 3 bytes: cut after 1 and after 2 of them.
    expect(detectEncoding(bytes.subarray(0, 1))).toBe('utf8')
    expect(detectEncoding(bytes.subarray(0, 2))).toBe('utf8')
    const cut = bytes.indexOf(Buffer.from('买', 'utf8')) + 2
    expect(detectEncoding(bytes.subarray(0, cut))).toBe('utf8')
  })

  it('recognises GBK (what Excel on Chinese Windows saves) as gb18030', () => {
    expect(detectEncoding(iconv.encode(ROSTER, 'gbk'))).toBe('gb18030')
  })

  it('recognises GB18030 four-byte characters', () => {
    // 𠀀 (U+20000) and € only exist in GB18030 as four-byte / extension sequences.
    const bytes = iconv.encode('姓名,备注\n张三,𠀀€\n', 'gb18030')
    expect(detectEncoding(bytes)).toBe('gb18030')
  })

  it('keeps a GBK sample cut in the middle of a character as gb18030', () => {
    const bytes = iconv.encode(ROSTER, 'gbk')
    const end = bytes.indexOf(iconv.encode('买', 'gbk')) + 1 // the lead byte only
    expect(detectEncoding(bytes.subarray(0, end))).toBe('gb18030')
  })

  it('refuses UTF-16 with and without BOM', () => {
    expect(detectEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ROSTER, 'utf16le')]))).toBe('unknown')
    expect(detectEncoding(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(ROSTER, 'utf16le').swap16()]))).toBe('unknown')
    expect(detectEncoding(Buffer.from(ROSTER, 'utf16le'))).toBe('unknown')
  })

  it('refuses bytes that are neither UTF-8 nor plausible GB18030 text', () => {
    expect(detectEncoding(Buffer.from([0x81, 0x20, 0x81, 0x20]))).toBe('unknown') // lead byte + invalid trail
    expect(detectEncoding(Buffer.from([0xd5, 0xc5, 0x01, 0x02]))).toBe('unknown') // C0 controls
  })
})
