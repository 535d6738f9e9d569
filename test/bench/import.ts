/**
 * `npm run bench:import`: how fast a roster goes from upload to the ledger (issue 11's target).
 *
 * In one run, against a fresh database (`xueshi_bench_import`) and the machine's Redis (own key
 * prefix): generates a 100,000-row roster as XLSX (exceljs streaming writer) and as a GBK CSV, plus
 * a 10,000-row GBK CSV; starts the production worker (`workers/index.ts`) as a child process; for
 * each file declares an activity at a new designated base, uploads it as the web does
 * (`createImport`, which queues `import.stage` through the outbox), waits for the worker to stage
 * it, asks for the commit (`requestCommit` → `import.commit`) and waits for `committed`. The
 * upload→committed time gives rows/s; the ledger is counted afterwards. The floor is a plain
 * script in this process: csv-parse + iconv-lite over the same GBK CSV, COPY into a plain table.
 * Prints rows/s, the ratio to the floor, the worker's peak RSS, where the time went (from the
 * outbox and import_files timestamps), and whether each target is met.
 * A benchmark, not a test: it prints figures and never fails on them.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createReadStream, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'

import { parse } from 'csv-parse'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { Redis } from 'ioredis'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

import { idNumberCheckChar } from '#app/domain/shared/id-number.ts'
import { dropDatabase, recreateDatabase, startTestServices, TEST_DATA_KEY } from '#test/setup/services.ts'
import { WORKER_NODE_ARGS } from '#workers/node-args.ts'

import { root } from './lib.ts'

const BIG = Number(process.env.BENCH_ROWS ?? 100_000)
const SMALL = Number(process.env.BENCH_ROWS_SMALL ?? 10_000)
const DB_NAME = 'xueshi_bench_import'
const STEP_TIMEOUT_MS = Number(process.env.BENCH_STEP_TIMEOUT_MS ?? 20 * 60_000)
const POLL_MS = 50
/** BENCH_PROFILE=1: CPU-profile the worker, then stage and commit one more 100k CSV in this process with every statement timed. */
const PROFILE = process.env.BENCH_PROFILE === '1'
const TARGET_RATIO = 0.25
const TARGET_RSS_MB = 300
/** "The same rows/s": the 10k file's rate within this fraction of the 100k file's (same format). */
const SAME_RATE_TOLERANCE = 0.2

// ------------------------------------------------------------------------------------------ data

const AREAS = ['220102', '220103', '220104', '220105', '220106', '220112', '220113', '220122', '220182', '220183']
const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文'
const GIVEN = '伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国志宏海波亮晨雪梅琳晓东丹凤兰春'

/** Distinct valid resident IDs (Jilin area codes, birth dates 1965 onwards, correct check character). */
function idFor(i: number): string {
  const block = Math.floor(i / 1000)
  const birth = new Date(Date.UTC(1965, 0, 1) + block * 7 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '')
  const first17 = `${AREAS[block % AREAS.length]}${birth}${String(i % 1000).padStart(3, '0')}`
  return first17 + idNumberCheckChar(first17)
}

function nameFor(i: number): string {
  const s = SURNAMES[i % SURNAMES.length]!
  const g1 = GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]!
  const g2 = i % 3 === 0 ? '' : GIVEN[Math.floor(i / 7) % GIVEN.length]!
  return s + g1 + g2
}

/** 0.5 … 12 hours (the activity declares 12). */
const hoursFor = (i: number) => (1 + (i % 24)) / 2

const HEADER = ['姓名', '身份证号', '学时']

function writeGbkCsv(file: string, offset: number, rows: number) {
  const lines = [HEADER.join(',')]
  for (let i = offset; i < offset + rows; i++) lines.push(`${nameFor(i)},${idFor(i)},${hoursFor(i)}`)
  writeFileSync(file, iconv.encode(lines.join('\r\n') + '\r\n', 'gbk'))
}

async function writeXlsx(file: string, offset: number, rows: number) {
  // Shared strings, as Excel writes them; IDs as text cells, hours as numbers.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: false })
  const ws = wb.addWorksheet('名单')
  ws.addRow(HEADER).commit()
  for (let i = offset; i < offset + rows; i++) ws.addRow([nameFor(i), idFor(i), hoursFor(i)]).commit()
  ws.commit()
  await wb.commit()
}

// ----------------------------------------------------------------------------------------- floor

/** The plain path: decode GBK, parse the CSV, COPY the three columns into a plain table. */
async function floorRun(client: pg.Client, file: string): Promise<number> {
  await client.query('truncate floor_rows')
  const t = performance.now()
  const toCopy = new Transform({
    writableObjectMode: true,
    transform(record: string[], _enc, done) {
      done(null, `${record[0]}\t${record[1]}\t${record[2]}\n`)
    },
  })
  await pipeline(
    createReadStream(file),
    iconv.decodeStream('gbk'),
    parse({ from_line: 2 }),
    toCopy,
    client.query(copyFrom('COPY floor_rows (name, id_number, hours) FROM STDIN')),
  )
  const ms = performance.now() - t
  const n = Number((await client.query<{ n: string }>('select count(*) n from floor_rows')).rows[0]!.n)
  if (n === 0) throw new Error('floor: nothing copied')
  return ms
}

// ---------------------------------------------------------------------------------------- worker

function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  } catch {
    return 0
  }
}

/** Resets the process's VmHWM to its current RSS (Linux ≥ 4.0); false if not allowed. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

type Worker = { child: ChildProcess; logFile: string; exited: Promise<number | null> }

function startWorker(env: Record<string, string>, logFile: string, profileDir?: string): Worker {
  const fd = openSync(logFile, 'a')
  const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
  const child = spawn(
    process.execPath,
    [...prof, ...(process.env.BENCH_WORKER_ARGS?.split(' ').filter(Boolean) ?? WORKER_NODE_ARGS), '--import', 'tsx', 'workers/index.ts'],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', fd, fd],
    },
  )
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, logFile, exited }
}

const logTail = (w: Worker, n = 30) => readFileSync(w.logFile, 'utf8').split('\n').slice(-n).join('\n')

async function waitWorkerReady(w: Worker) {
  const until = Date.now() + 60_000
  for (;;) {
    if (/worker started/.test(readFileSync(w.logFile, 'utf8'))) return
    if (w.child.exitCode !== null) throw new Error(`the worker exited (${w.child.exitCode}):\n${logTail(w)}`)
    if (Date.now() > until) throw new Error(`the worker did not start within 60 s:\n${logTail(w)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function stopWorker(w: Worker) {
  if (w.child.exitCode !== null) return
  w.child.kill('SIGTERM')
  const killed = await Promise.race([w.exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 20_000))])
  if (killed && w.child.exitCode === null) {
    w.child.kill('SIGKILL')
    await w.exited
  }
}

// ---------------------------------------------------------------------------------------- import

type Run = {
  label: string
  format: 'xlsx' | 'csv'
  rows: number
  bytes: number
  seconds: number
  ledger: number
  peakMb: number | null
  sampledMb: number
  stagePeakMb: number
  commitPeakMb: number
  parts: Record<string, number>
  counts: { ok: number; warning: number; error: number }
}

async function main() {
  // The machine's Redis (startTestServices would otherwise start its own).
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379'
  const services = await startTestServices((s) => console.log(s))
  const redisUrl = services.redisUrl
  const prefix = `benchimport${Date.now()}`
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'xs-bench-import-'))
  let worker: Worker | undefined
  let client: pg.Client | undefined
  let kdb: { destroy: () => Promise<void> } | undefined
  let sampler: NodeJS.Timeout | undefined
  let dbCreated = false
  try {
    const url = await recreateDatabase(services.adminUrl, DB_NAME)
    dbCreated = true
    process.env.DATABASE_URL = url
    process.env.XUESHI_DATA_KEY = TEST_DATA_KEY
    process.env.LOG_LEVEL = 'warn'
    const { createDb } = await import('#app/lib/db.server.ts')
    const { prepareDatabase } = await import('#app/cli/prepare.ts')
    const mdb = createDb(url, 2)
    await prepareDatabase(mdb)
    await mdb.destroy()

    const { createImport, requestCommit } = await import('#app/domain/imports/imports.server.ts')
    const { baseWithStaff, declare } = await import('#test/factories/reports.ts')
    const { tx } = await import('#test/factories/bases.ts')
    const db = createDb(url, 4)
    kdb = db
    client = new pg.Client({ connectionString: url })
    await client.connect()
    const c = client

    // 1. The files: each with its own people (so every file creates as many new people).
    const files = [
      { label: `${BIG / 1000}k XLSX`, file: path.join(tmp, 'roster-big.xlsx'), format: 'xlsx' as const, rows: BIG, offset: 0 },
      { label: `${BIG / 1000}k CSV (GBK)`, file: path.join(tmp, 'roster-big.csv'), format: 'csv' as const, rows: BIG, offset: 200_000 },
      {
        label: `${SMALL / 1000}k CSV (GBK)`,
        file: path.join(tmp, 'roster-small.csv'),
        format: 'csv' as const,
        rows: SMALL,
        offset: 400_000,
      },
    ]
    for (const f of files) {
      const t = performance.now()
      if (f.format === 'xlsx') await writeXlsx(f.file, f.offset, f.rows)
      else writeGbkCsv(f.file, f.offset, f.rows)
      console.log(
        `generated ${f.label}: ${(statSync(f.file).size / 1e6).toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`,
      )
    }
    const bigCsv = files[1]!.file
    const smallCsv = files[2]!.file

    // 2. The floor, before the worker starts (best of 3 each, the first also warms the disk cache).
    await c.query('create table floor_rows (name text not null, id_number text not null, hours numeric(6,2) not null)')
    const floorMs = { big: Infinity, small: Infinity }
    for (let k = 0; k < 3; k++) {
      floorMs.big = Math.min(floorMs.big, await floorRun(c, bigCsv))
      floorMs.small = Math.min(floorMs.small, await floorRun(c, smallCsv))
    }
    const floorRate = { big: BIG / (floorMs.big / 1000), small: SMALL / (floorMs.small / 1000) }
    console.log(
      `floor: ${BIG} rows in ${(floorMs.big / 1000).toFixed(2)} s (${Math.round(floorRate.big)} rows/s); ` +
        `${SMALL} rows in ${(floorMs.small / 1000).toFixed(2)} s (${Math.round(floorRate.small)} rows/s)`,
    )

    // 3. The production worker.
    worker = startWorker(
      {
        NODE_ENV: 'production',
        DATABASE_URL: url,
        REDIS_URL: redisUrl,
        XUESHI_REDIS_PREFIX: prefix,
        XUESHI_DATA_KEY: TEST_DATA_KEY,
        XUESHI_PUBLIC_URL: 'http://127.0.0.1:3299',
        XUESHI_SMS_LOCAL: '1',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      },
      path.join(tmp, 'worker.log'),
      PROFILE ? path.join(tmp, 'prof') : undefined,
    )
    const w = worker
    const pid = w.child.pid!
    await waitWorkerReady(w)
    let sampledMax = 0
    let phaseMax = 0
    sampler = setInterval(() => {
      const kb = readStatusKb(pid, 'VmRSS')
      sampledMax = Math.max(sampledMax, kb)
      phaseMax = Math.max(phaseMax, kb)
    }, 200)
    console.log(`worker started (pid ${pid}), RSS ${Math.round(readStatusKb(pid, 'VmRSS') / 1024)} MB`)

    type FileRow = { status: string; commit_mode: string | null; rows_ok: number; rows_warning: number; rows_error: number }
    const fileRow = async (id: number) =>
      (
        await c.query<FileRow>(
          'select status, commit_mode, rows_ok, rows_warning, rows_error, error_code, error_detail from import_files where id = $1',
          [id],
        )
      ).rows[0]!
    const failedJob = async (id: number) =>
      (
        await c.query<{ job_name: string; last_error: string }>(
          `select job_name, last_error from outbox where payload->>'importId' = $1 and failed_at is not null`,
          [String(id)],
        )
      ).rows[0]
    async function waitStatus(id: number, want: string, step: string, stillOk: (f: FileRow) => boolean) {
      const until = Date.now() + STEP_TIMEOUT_MS
      for (;;) {
        const f = await fileRow(id)
        if (f.status === want) return f
        if (!stillOk(f)) throw new Error(`${step}: import ${id} is ${JSON.stringify(f)}`)
        const failed = await failedJob(id)
        if (failed) throw new Error(`${step}: job ${failed.job_name} failed: ${failed.last_error}\n${logTail(w)}`)
        if (w.child.exitCode !== null) throw new Error(`the worker exited (${w.child.exitCode}):\n${logTail(w)}`)
        if (Date.now() > until) throw new Error(`${step}: import ${id} still ${f.status} after ${STEP_TIMEOUT_MS} ms`)
        await new Promise((r) => setTimeout(r, POLL_MS))
      }
    }

    // 4. Each file: upload → staged → commit → committed.
    const runs: Run[] = []
    for (const f of files) {
      const { baseId, staff, owner } = await baseWithStaff(db)
      const activityId = await declare(db, { accountId: staff.accountId, baseId })
      const bytes = readFileSync(f.file)
      const peakReset = resetPeak(pid)
      phaseMax = readStatusKb(pid, 'VmRSS')

      const t0 = performance.now()
      const up = await tx(db, (t) => createImport(t, owner, { activityId, file: { filename: path.basename(f.file), bytes } }))
      if (!up.ok) throw new Error(`upload ${f.label}: ${up.code}`)
      const importId = up.importId
      const tUploaded = performance.now()
      const staged = await waitStatus(importId, 'staged', `stage ${f.label}`, (s) => ['queued', 'parsing'].includes(s.status))
      const tStaged = performance.now()
      // The peak while staging, then reset for the commit's own.
      const stagePeakKb = peakReset ? readStatusKb(pid, 'VmHWM') : phaseMax
      const stageSampledKb = phaseMax
      resetPeak(pid)
      phaseMax = readStatusKb(pid, 'VmRSS')
      if (staged.rows_error > 0) console.log(`  note: ${f.label} staged with ${staged.rows_error} rows in error`)
      const cr = await tx(db, (t) => requestCommit(t, owner, importId, 'all'))
      if (!cr.ok) throw new Error(`commit ${f.label}: ${cr.code}`)
      const tRequested = performance.now()
      await waitStatus(importId, 'committed', `commit ${f.label}`, (s) => s.status === 'committing')
      const tDone = performance.now()
      const commitPeakKb = peakReset ? readStatusKb(pid, 'VmHWM') : phaseMax
      const hwm = Math.max(stagePeakKb, commitPeakKb)

      const ledger = Number(
        (
          await c.query<{ n: string }>(`select count(*) n from hour_entries where source_ref = $1 and source_kind = 'base_training'`, [
            `activity:${activityId}`,
          ])
        ).rows[0]!.n,
      )
      // Where the time went, from the database's own clock: outbox rows (queued → dispatched → done)
      // and import_files (created_at, staged_at; committed_at is when the commit job started).
      const ts = (
        await c.query<{
          created: number
          staged: number
          committed_start: number
          stage_dispatched: number
          stage_completed: number
          commit_queued: number
          commit_dispatched: number
          commit_completed: number
        }>(
          `select extract(epoch from f.created_at) * 1000 as created,
                  extract(epoch from f.staged_at) * 1000 as staged,
                  extract(epoch from f.committed_at) * 1000 as committed_start,
                  extract(epoch from s.dispatched_at) * 1000 as stage_dispatched,
                  extract(epoch from s.completed_at) * 1000 as stage_completed,
                  extract(epoch from m.created_at) * 1000 as commit_queued,
                  extract(epoch from m.dispatched_at) * 1000 as commit_dispatched,
                  extract(epoch from m.completed_at) * 1000 as commit_completed
           from import_files f
           join outbox s on s.job_name = 'import.stage' and s.payload->>'importId' = f.id::text
           join outbox m on m.job_name = 'import.commit' and m.payload->>'importId' = f.id::text
           where f.id = $1`,
          [importId],
        )
      ).rows[0]!
      const d = (a: number, b: number) => (Number(b) - Number(a)) / 1000
      const parts = {
        'upload (createImport tx)': (tUploaded - t0) / 1000,
        'stage: outbox → worker (relay)': d(ts.created, ts.stage_dispatched),
        'stage: job (parse, rows, COPY, checks)': d(ts.stage_dispatched, ts.staged),
        'staged seen → commit requested': (tRequested - tStaged) / 1000,
        'commit: outbox → worker (relay)': d(ts.commit_queued, ts.commit_dispatched),
        'commit: job (people, diff, ledger)': d(ts.committed_start, ts.commit_completed),
        'commit: dispatch → job start': d(ts.commit_dispatched, ts.committed_start),
        'stage total (created → staged)': d(ts.created, ts.staged),
        'commit total (queued → completed)': d(ts.commit_queued, ts.commit_completed),
      }
      const run: Run = {
        label: f.label,
        format: f.format,
        rows: f.rows,
        bytes: bytes.length,
        seconds: (tDone - t0) / 1000,
        ledger,
        peakMb: peakReset ? Math.round(hwm / 1024) : null,
        sampledMb: Math.round(Math.max(stageSampledKb, phaseMax) / 1024),
        stagePeakMb: Math.round(stagePeakKb / 1024),
        commitPeakMb: Math.round(commitPeakKb / 1024),
        parts,
        counts: { ok: staged.rows_ok, warning: staged.rows_warning, error: staged.rows_error },
      }
      runs.push(run)
      console.log(
        `${f.label}: ${run.seconds.toFixed(2)} s upload→committed (${Math.round(f.rows / run.seconds)} rows/s); ` +
          `staged ok ${staged.rows_ok} / warning ${staged.rows_warning} / error ${staged.rows_error}; ledger entries ${ledger}; ` +
          `worker peak RSS ${run.peakMb ?? '?'} MB (stage ${run.stagePeakMb} MB, commit ${run.commitPeakMb} MB; sampled max ${run.sampledMb} MB)`,
      )
      for (const [k, v] of Object.entries(parts)) console.log(`    ${k.padEnd(40)} ${v.toFixed(2)} s`)
    }
    clearInterval(sampler)
    sampler = undefined
    const workerHwmMb = Math.round(readStatusKb(pid, 'VmHWM') / 1024)
    const overallPeakMb = Math.max(
      sampledMax > 0 ? Math.round(sampledMax / 1024) : 0,
      ...runs.map((r) => r.peakMb ?? 0),
      runs.some((r) => r.peakMb === null) ? workerHwmMb : 0,
    )

    // 5. The table and the targets.
    const floorFor = (r: Run) => (r.rows === BIG ? floorRate.big : floorRate.small)
    console.log(
      `\nimport benchmark (worker LOG_LEVEL ${process.env.BENCH_LOG_LEVEL ?? 'info'}; floor = csv-parse + iconv-lite + COPY of the same-size GBK CSV)`,
    )
    const header = ['file', 'rows', 'MB', 'seconds', 'rows/s', 'floor rows/s', 'ratio', 'ledger', 'worker peak RSS MB']
    const table = runs.map((r) => [
      r.label,
      String(r.rows),
      (r.bytes / 1e6).toFixed(1),
      r.seconds.toFixed(2),
      String(Math.round(r.rows / r.seconds)),
      String(Math.round(floorFor(r))),
      (r.rows / r.seconds / floorFor(r)).toFixed(3),
      String(r.ledger),
      r.peakMb === null ? `~${r.sampledMb} (sampled)` : String(r.peakMb),
    ])
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)))
    const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')
    console.log(line(header))
    console.log(widths.map((wd) => '-'.repeat(wd)).join('-|-'))
    for (const row of table) console.log(line(row))
    console.log(`worker VmHWM at the end ${workerHwmMb} MB${runs.some((r) => r.peakMb !== null) ? ' (reset before each file)' : ''}`)

    const bigCsvRun = runs[1]!
    const smallRun = runs[2]!
    const bigRate = bigCsvRun.rows / bigCsvRun.seconds
    const smallRate = smallRun.rows / smallRun.seconds
    const rateRatio = smallRate / bigRate
    console.log(
      `per-row rate: ${SMALL} rows ${Math.round(smallRate)} rows/s (${((1000 * smallRun.seconds) / SMALL).toFixed(3)} ms/row) vs ` +
        `${BIG} rows ${Math.round(bigRate)} rows/s (${((1000 * bigCsvRun.seconds) / BIG).toFixed(3)} ms/row): ${rateRatio.toFixed(2)}×`,
    )
    const met = (b: boolean) => (b ? 'MET' : 'MISSED')
    const minRatio = Math.min(...runs.map((r) => r.rows / r.seconds / floorFor(r)))
    const ledgerOk = runs.every((r) => r.ledger === r.rows)
    console.log(`target ratio ≥ ${TARGET_RATIO} (every file): ${met(minRatio >= TARGET_RATIO)} (lowest ${minRatio.toFixed(3)})`)
    console.log(`target worker peak RSS ≤ ${TARGET_RSS_MB} MB: ${met(overallPeakMb <= TARGET_RSS_MB)} (${overallPeakMb} MB)`)
    console.log(
      `target same rows/s for ${SMALL} as for ${BIG} rows (within ±${SAME_RATE_TOLERANCE * 100}%): ` +
        `${met(Math.abs(rateRatio - 1) <= SAME_RATE_TOLERANCE)} (${rateRatio.toFixed(2)}×)`,
    )
    console.log(
      `ledger: entries = rows for every file: ${ledgerOk ? 'yes' : 'NO'} (${runs.map((r) => `${r.ledger}/${r.rows}`).join(', ')})`,
    )

    if (PROFILE) {
      await stopWorker(w)
      const profDir = path.join(tmp, 'prof')
      for (const name of readdirSync(profDir).filter((n) => n.endsWith('.cpuprofile'))) summariseCpuProfile(path.join(profDir, name))
      const extra = path.join(tmp, 'roster-profile.csv')
      writeGbkCsv(extra, 600_000, BIG)
      await profileInProcess(url, extra, BIG)
    }
  } finally {
    if (sampler) clearInterval(sampler)
    if (worker) await stopWorker(worker).catch((e: unknown) => console.error('stopping the worker:', e))
    await client?.end().catch(() => undefined)
    await kdb?.destroy().catch(() => undefined)
    if (dbCreated) await dropDatabase(services.adminUrl, DB_NAME).catch((e: unknown) => console.error('dropping the database:', e))
    await deleteKeys(redisUrl, prefix).catch(() => undefined)
    await rm(tmp, { recursive: true, force: true })
    await services.stop()
  }
}

// --------------------------------------------------------------------------------------- profile

type CpuNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }
type CpuProfile = { nodes: CpuNode[]; samples: number[]; timeDeltas: number[] }

/** The worker's CPU profile (all three imports): self time by function and by package. */
function summariseCpuProfile(file: string) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const selfUs = new Map<number, number>()
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)))
  const byFn = new Map<string, number>()
  const byGroup = new Map<string, number>()
  let total = 0
  for (const n of p.nodes) {
    const us = selfUs.get(n.id) ?? 0
    if (us === 0) continue
    total += us
    const url = n.callFrame.url.replace(/^file:\/\//, '').replace(`${root}/`, '')
    const name = n.callFrame.functionName || '(anonymous)'
    const fn = url ? `${name} ${url}:${n.callFrame.lineNumber + 1}` : name
    byFn.set(fn, (byFn.get(fn) ?? 0) + us)
    const group =
      url === ''
        ? name.startsWith('(')
          ? name
          : '(native)'
        : url.startsWith('node:')
          ? 'node: internals'
          : (/node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? url)
    byGroup.set(group, (byGroup.get(group) ?? 0) + us)
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `    ${(us / 1e6).toFixed(2).padStart(7)} s ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)
  console.log(`\nworker CPU profile (${(total / 1e6).toFixed(1)} s sampled, (idle) = waiting on PostgreSQL/Redis): by package`)
  for (const l of top(byGroup, 20)) console.log(l)
  console.log('  by function (self time)')
  for (const l of top(byFn, 30)) console.log(l)
}

/**
 * Stages and commits one more file in this process (the worker stopped), timing every statement
 * the domain sends (by wrapping pg's Client#query before its pool connects), and the CPU parts of staging on their own.
 */
async function profileInProcess(url: string, file: string, rows: number) {
  const { createDb } = await import('#app/lib/db.server.ts')
  const { readTable } = await import('#app/domain/imports/table-reader.server.ts')
  const { COLUMNS, rosterRow } = await import('#app/domain/imports/rows.ts')
  const { encryptPii, lookupHash } = await import('#app/lib/crypto.server.ts')
  const { stageImport } = await import('#app/domain/imports/stage.server.ts')
  const { commitImport } = await import('#app/domain/imports/commit.server.ts')
  const { createImport, requestCommit } = await import('#app/domain/imports/imports.server.ts')
  const { baseWithStaff, declare } = await import('#test/factories/reports.ts')
  const { tx } = await import('#test/factories/bases.ts')

  console.log(`\nin-process profile of one more ${rows}-row GBK CSV (new people), worker stopped`)
  const now = new Date()
  const cpu = async (label: string, perRow: (cells: Record<string, string>, rowNumber: number) => void) => {
    const t = performance.now()
    for await (const ev of readTable(file, { columns: COLUMNS.roster, maxRows: 1_000_000 })) {
      if (ev.type === 'row') perRow(ev.cells, ev.rowNumber)
    }
    console.log(`  ${label.padEnd(58)} ${((performance.now() - t) / 1000).toFixed(2)} s`)
  }
  await cpu('read (iconv + csv-parse + readTable) only', () => undefined)
  await cpu('read + rosterRow (ID, name, hours rules)', (cells, n) => void rosterRow(n, cells, { declaredHours: '12', now }))
  await cpu('read + rosterRow + lookupHash + encryptPii', (cells, n) => {
    const r = rosterRow(n, cells, { declaredHours: '12', now })
    if (r.id) {
      lookupHash(r.id.value)
      encryptPii(r.id.value)
    }
  })

  const stats = new Map<string, { n: number; ms: number }>()
  let phase = ''
  const proto = pg.Client.prototype as any
  const original = proto.query
  proto.query = function (this: unknown, ...args: any[]) {
    const first = args[0]
    const text: unknown = typeof first === 'string' ? first : first?.text
    const result = original.apply(this, args)
    if (typeof text === 'string' && result && typeof result.then === 'function') {
      const t = performance.now()
      const key = `${phase} ${text.replace(/\s+/g, ' ').trim().slice(0, 110)}`
      const done = () => {
        const s = stats.get(key) ?? { n: 0, ms: 0 }
        s.n++
        s.ms += performance.now() - t
        stats.set(key, s)
      }
      result.then(done, done)
    }
    return result
  }
  // A new pool: db.server.ts binds each connection's query method when it connects.
  const db = createDb(url, 4)
  try {
    const { baseId, staff, owner } = await baseWithStaff(db)
    const activityId = await declare(db, { accountId: staff.accountId, baseId })
    phase = 'upload'
    const up = await tx(db, (t) => createImport(t, owner, { activityId, file: { filename: 'profile.csv', bytes: readFileSync(file) } }))
    if (!up.ok) throw new Error(up.code)
    phase = 'stage'
    let t = performance.now()
    const staged = await stageImport(db, up.importId)
    const stageMs = performance.now() - t
    phase = 'request'
    const cr = await tx(db, (trx) => requestCommit(trx, owner, up.importId, 'all'))
    if (!cr.ok) throw new Error(cr.code)
    phase = 'commit'
    t = performance.now()
    const committed = await commitImport(db, up.importId)
    const commitMs = performance.now() - t
    console.log(
      `  stageImport: ${(stageMs / 1000).toFixed(2)} s (${staged}); commitImport: ${(commitMs / 1000).toFixed(2)} s (${committed.done})`,
    )
    for (const p of ['stage', 'commit']) {
      const rowsOf = [...stats.entries()].filter(([k]) => k.startsWith(`${p} `)).sort((a, b) => b[1].ms - a[1].ms)
      const sum = rowsOf.reduce((acc, [, v]) => acc + v.ms, 0)
      console.log(`  ${p}: statements ${(sum / 1000).toFixed(2)} s in all (COPY not included); the slowest:`)
      for (const [k, v] of rowsOf.slice(0, 12))
        console.log(`    ${(v.ms / 1000).toFixed(2).padStart(6)} s ×${String(v.n).padEnd(4)} ${k.slice(p.length + 1)}`)
    }
  } finally {
    proto.query = original
    await db.destroy()
  }
}

/** Removes the run's BullMQ keys. */
async function deleteKeys(redisUrl: string, prefix: string) {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await redis.connect()
  try {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
      cursor = next
      if (keys.length > 0) await redis.del(...keys)
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e)
    process.exit(1)
  },
)
