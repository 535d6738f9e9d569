import { createRequire } from 'node:module'
import path from 'node:path'

import PDFDocument from 'pdfkit'
import QRCode from 'qrcode'

import { fromCents, toCents } from '#app/domain/shared/decimal.ts'

import { type CertificateFacts, formatCode, type Method, type SeminarCompletionFacts } from './certificate.ts'

/**
 * The hours certificate (学时证明) as an A4 PDF. Chinese text is set in Noto Sans Hans (SIL OFL
 * 1.1, from the npm package @embedpdf/fonts-sc, so it needs nothing installed on the machine);
 * pdfkit embeds only the glyphs used, as a subset. The QR code is drawn as vector squares.
 *
 * The wording is the document's own, in Chinese with English sub-labels, whatever the language
 * of the person who asked for it: a certificate reads the same for everyone who checks it.
 */

const require = createRequire(import.meta.url)
// The package exports only its index; the fonts sit beside it in ../fonts.
const FONT_DIR = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts')
export const CERTIFICATE_FONTS = {
  regular: path.join(FONT_DIR, 'NotoSansHans-Regular.otf'),
  bold: path.join(FONT_DIR, 'NotoSansHans-Bold.otf'),
}

const BRAND = '#9b1c1c'
const INK = '#1f2328'
const MUTED = '#57606a'
const LINE = '#c9ced4'

const METHOD_LABELS: Record<Method, [string, string]> = {
  online: ['网授', '网络课程 · Online'],
  face_to_face: ['面授', '研修班、基地培训 · In person'],
  other: ['其他', '平台外学习、调整 · Other'],
}

function chineseDate(isoDay: string): string {
  const [y, m, d] = isoDay.split('-').map(Number)
  return `${y}年${m}月${d}日`
}

/** The QR code of `text` as filled squares, runs of dark modules merged into one rectangle each. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const quiet = 2
  const cell = size / (n + quiet * 2)
  doc.save()
  doc.rect(x, y, size, size).fill('#ffffff')
  for (let row = 0; row < n; row++) {
    let col = 0
    while (col < n) {
      if (!qr.modules.get(row, col)) {
        col++
        continue
      }
      const start = col
      while (col < n && qr.modules.get(row, col)) col++
      // A hair of overlap so no viewer shows seams between neighbouring squares.
      doc.rect(x + (quiet + start) * cell, y + (quiet + row) * cell, (col - start) * cell + 0.05, cell + 0.05)
    }
  }
  doc.fill('#000000')
  doc.restore()
}

/**
 * The part both certificates share, from `y` down: who issued it and when, the verification box
 * (QR, code, address, what checking shows: `note`) and the footer line.
 */
function issuedAndVerification(
  doc: PDFKit.PDFDocument,
  p: { y: number; issuer: string; issuedOn: string; code: string; verifyUrl: string; note: string; footer: string },
) {
  const W = doc.page.width
  const H = doc.page.height
  const left = 72
  const width = W - 2 * left
  doc.font('cjk').fontSize(12).fillColor(INK)
  doc.text(`出具单位：${p.issuer}`, left, p.y, { width, align: 'right' })
  doc.text(`出具日期：${chineseDate(p.issuedOn)}`, left, doc.y + 6, { width, align: 'right' })
  doc
    .font('cjk')
    .fontSize(8.5)
    .fillColor(MUTED)
    .text(`Issuer: Jilin Continuing-Education Platform · Issued ${p.issuedOn}`, left, doc.y + 4, { width, align: 'right' })

  // Verification box
  const boxY = Math.max(doc.y + 16, H - 226)
  const boxH = 140
  doc.lineWidth(0.8).rect(left, boxY, width, boxH).fillAndStroke('#fafafa', LINE)
  const qrSize = 116
  drawQr(doc, p.verifyUrl, left + 12, boxY + 12, qrSize)
  const tx = left + qrSize + 30
  const tw = width - qrSize - 42
  doc
    .font('cjk-bold')
    .fontSize(12)
    .fillColor(INK)
    .text('在线核验  Verify online', tx, boxY + 14, { width: tw })
  doc
    .font('cjk')
    .fontSize(10.5)
    .text('验证码：', tx, doc.y + 6, { width: tw, continued: true })
    .font('cjk-bold')
    .fontSize(13)
    .text(p.code)
  doc
    .font('cjk')
    .fontSize(9)
    .fillColor('#0b5cad')
    .text(p.verifyUrl, tx, doc.y + 4, { width: tw, link: p.verifyUrl })
  doc
    .font('cjk')
    .fontSize(9.5)
    .fillColor(INK)
    .text(p.note, tx, doc.y + 6, { width: tw, lineGap: 2 })
  doc
    .fontSize(8)
    .fillColor(MUTED)
    .text('Anyone can check this certificate at the address above without logging in.', tx, doc.y + 3, { width: tw })

  // Footer
  doc
    .font('cjk')
    .fontSize(8)
    .fillColor(MUTED)
    .text(p.footer, left, H - 56, { width, align: 'center' })
}

export async function buildCertificatePdf(input: { facts: CertificateFacts; code: string; verifyUrl: string }): Promise<Buffer> {
  const { facts: f, verifyUrl } = input
  const code = formatCode(input.code)
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    info: {
      Title: `学时证明 ${f.year} · ${code}`,
      Subject: 'Certificate of Continuing-Education Hours',
      Author: f.issuer,
      Creator: 'Xueshi',
    },
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })

  doc.registerFont('cjk', CERTIFICATE_FONTS.regular)
  doc.registerFont('cjk-bold', CERTIFICATE_FONTS.bold)
  const W = doc.page.width
  const H = doc.page.height
  const left = 72
  const width = W - 2 * left

  // Frame
  doc
    .lineWidth(2)
    .rect(28, 28, W - 56, H - 56)
    .stroke(BRAND)
  doc
    .lineWidth(0.6)
    .rect(34, 34, W - 68, H - 68)
    .stroke(BRAND)

  // Title
  doc.font('cjk-bold').fontSize(30).fillColor(BRAND).text('学时证明', left, 70, { width, align: 'center', characterSpacing: 10 })
  doc.font('cjk').fontSize(11).fillColor(MUTED).text('Certificate of Continuing-Education Hours', left, 114, { width, align: 'center' })
  doc.fontSize(9.5).text(`证明编号（验证码）No.: ${code}`, left, 134, { width, align: 'center' })
  doc
    .lineWidth(0.8)
    .moveTo(left, 160)
    .lineTo(W - left, 160)
    .stroke(BRAND)

  // Body
  const h = f.hours
  doc
    .font('cjk')
    .fontSize(14)
    .fillColor(INK)
    .text(
      `兹证明 ${f.name}（身份证号 ${f.idNumberMasked}）于 ${f.year} 年度共取得继续教育学时 ${h.total} 学时，其中专业科目 ${h.professional} 学时、公需科目 ${h.public} 学时。`,
      left,
      184,
      { width, lineGap: 9, indent: 28 },
    )

  // Table: how earned × category
  let y = doc.y + 22
  doc.font('cjk-bold').fontSize(12).fillColor(INK).text('学时构成  Hours by how earned', left, y)
  y = doc.y + 8
  const cols = [width * 0.4, width * 0.2, width * 0.2, width * 0.2]
  const xs = cols.map((_, i) => left + cols.slice(0, i).reduce((a, b) => a + b, 0))
  const headerH = 38
  const rowH = 30
  doc.rect(left, y, width, headerH).fill('#f3f4f6')
  const headers: [string, string][] = [
    ['取得方式', 'How earned'],
    ['专业科目', 'Professional'],
    ['公需科目', 'General'],
    ['合计', 'Total'],
  ]
  headers.forEach(([zh, en], i) => {
    const align = i === 0 ? 'left' : 'center'
    const pad = i === 0 ? 10 : 0
    doc
      .font('cjk-bold')
      .fontSize(11)
      .fillColor(INK)
      .text(zh, xs[i]! + pad, y + 6, { width: cols[i]! - pad, align })
    doc
      .font('cjk')
      .fontSize(8)
      .fillColor(MUTED)
      .text(en, xs[i]! + pad, y + 22, { width: cols[i]! - pad, align })
  })
  const rows: { label: [string, string]; cells: string[]; bold?: boolean }[] = (['online', 'face_to_face', 'other'] as const).map((m) => ({
    label: METHOD_LABELS[m],
    cells: [f.byMethod[m].professional, f.byMethod[m].public, f.byMethod[m].total],
  }))
  rows.push({
    label: ['合计', 'Counted total'],
    cells: [
      f.ledgerCounted.professional,
      f.ledgerCounted.public,
      fromCents(toCents(f.ledgerCounted.professional) + toCents(f.ledgerCounted.public)),
    ],
    bold: true,
  })
  let ry = y + headerH
  for (const r of rows) {
    doc
      .font(r.bold ? 'cjk-bold' : 'cjk')
      .fontSize(11)
      .fillColor(INK)
      .text(r.label[0], xs[0]! + 10, ry + 8, { lineBreak: false })
    const labelWidth = doc.widthOfString(r.label[0])
    doc
      .font('cjk')
      .fontSize(8)
      .fillColor(MUTED)
      .text(r.label[1], xs[0]! + 10 + labelWidth + 8, ry + 11, { lineBreak: false })
    r.cells.forEach((c, i) => {
      doc
        .font(r.bold ? 'cjk-bold' : 'cjk')
        .fontSize(11)
        .fillColor(INK)
        .text(c, xs[i + 1]!, ry + 8, { width: cols[i + 1]!, align: 'center' })
    })
    ry += rowH
    doc
      .lineWidth(0.5)
      .moveTo(left, ry)
      .lineTo(W - left, ry)
      .stroke(LINE)
  }
  doc
    .lineWidth(0.8)
    .rect(left, y, width, ry - y)
    .stroke(LINE)

  // Verdict
  y = ry + 14
  doc
    .font('cjk-bold')
    .fontSize(12)
    .fillColor(f.met ? '#1a5e36' : '#8a4b00')
    .text(`达标情况：${f.met ? '已达标' : '未达标'}  ${f.met ? 'Requirement met' : 'Requirement not met'}`, left, y)
  doc
    .font('cjk')
    .fontSize(10.5)
    .fillColor(INK)
    .text(
      `依据 ${f.year} 年度继续教育政策（版本 ${f.policyVersion}）：每年合计不少于 ${f.requirement.total} 学时，其中专业科目不少于 ${f.requirement.professional} 学时、公需科目不少于 ${f.requirement.public} 学时。`,
      left,
      doc.y + 4,
      { width, lineGap: 4 },
    )
  if (f.publicCap !== null && f.ledgerCounted.public !== f.hours.public) {
    doc.text(`公需科目计入达标的上限为 ${f.publicCap} 学时，超出部分已记录但不计入达标。`, { width, lineGap: 4 })
  }

  // Issuer and date
  y = doc.y + 16
  issuedAndVerification(doc, {
    y,
    issuer: f.issuer,
    issuedOn: f.issuedOn,
    code,
    verifyUrl,
    note: '任何人无需登录，扫描二维码或访问上述网址即可核验本证明。本年度学时记录如在开具后发生变更，核验页面会予以提示。',
    footer: '本证明依据平台学时记录生成，身份证号码已脱敏；内容以核验页面显示为准。',
  })
  doc.end()
  return done
}

const LEVEL_LABELS = { national: '国家级高级研修班', provincial: '省级高级研修班' } as const
const CATEGORY_LABELS = { professional: '专业科目', public: '公需科目' } as const

/** A PDF document with the fonts registered, and its bytes once ended. */
function startDocument(info: PDFKit.DocumentInfo) {
  const doc = new PDFDocument({ size: 'A4', margin: 0, info })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  doc.registerFont('cjk', CERTIFICATE_FONTS.regular)
  doc.registerFont('cjk-bold', CERTIFICATE_FONTS.bold)
  return { doc, done }
}

/**
 * The completion certificate (结业证书) of an advanced seminar: the same frame, verification box
 * and QR code as the hours certificate, stating who attended which seminar and the hours credited.
 */
export async function buildCompletionCertificatePdf(input: {
  facts: SeminarCompletionFacts
  code: string
  verifyUrl: string
}): Promise<Buffer> {
  const { facts: f, verifyUrl } = input
  const code = formatCode(input.code)
  const { doc, done } = startDocument({
    Title: `结业证书 · ${code}`,
    Subject: 'Certificate of Completion, Advanced Seminar',
    Author: f.issuer,
    Creator: 'Xueshi',
  })
  const W = doc.page.width
  const H = doc.page.height
  const left = 72
  const width = W - 2 * left

  doc
    .lineWidth(2)
    .rect(28, 28, W - 56, H - 56)
    .stroke(BRAND)
  doc
    .lineWidth(0.6)
    .rect(34, 34, W - 68, H - 68)
    .stroke(BRAND)

  doc.font('cjk-bold').fontSize(30).fillColor(BRAND).text('结业证书', left, 70, { width, align: 'center', characterSpacing: 10 })
  doc.font('cjk').fontSize(11).fillColor(MUTED).text('Certificate of Completion · Advanced Seminar', left, 114, { width, align: 'center' })
  doc.fontSize(9.5).text(`证书编号（验证码）No.: ${code}`, left, 134, { width, align: 'center' })
  doc
    .lineWidth(0.8)
    .moveTo(left, 160)
    .lineTo(W - left, 160)
    .stroke(BRAND)

  const dates = f.startDate === f.endDate ? chineseDate(f.startDate) : `${chineseDate(f.startDate)}至${chineseDate(f.endDate)}`
  doc
    .font('cjk')
    .fontSize(14)
    .fillColor(INK)
    .text(
      `兹证明 ${f.name}（身份证号 ${f.idNumberMasked}）于 ${dates} 参加 ${f.hostBaseName} 举办的 ${f.seminarTitle}（${LEVEL_LABELS[f.level]}），完成学习，获得${CATEGORY_LABELS[f.category]}学时 ${f.hours} 学时。`,
      left,
      190,
      { width, lineGap: 9, indent: 28 },
    )
  doc
    .font('cjk')
    .fontSize(10.5)
    .fillColor(MUTED)
    .text(`出勤：${f.blocksTotal} 个半天中出勤 ${f.blocksAttended} 个（政策版本 ${f.policyVersion}）。`, left, doc.y + 14, { width })

  const y = doc.y + 28
  issuedAndVerification(doc, {
    y,
    issuer: f.issuer,
    issuedOn: f.issuedOn,
    code,
    verifyUrl,
    note: '任何人无需登录，扫描二维码或访问上述网址即可核验本证书。出勤记录如在开具后更正，核验页面会予以提示。',
    footer: '本证书依据平台出勤与学时记录生成，身份证号码已脱敏；内容以核验页面显示为准。',
  })
  doc.end()
  return done
}
