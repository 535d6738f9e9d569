/**
 * `npm run bench:compliance`: the HR compliance dashboard at province scale (issue 13, "Scale").
 *
 * In one run, against a fresh database (`xueshi_bench_compliance`, migrated and with the policies
 * of content/policies loaded as the app loads them: `prepareDatabase`):
 *
 * 1. Seeds 100,000 people set-based in SQL (generate_series): names from a small list, a pool of
 *    1,000 real encrypted ID numbers reused (the lookup hash is unique per person: sha256 of the
 *    series number), ~2,000 employers spread over the 市州 of content/reference/regions.json
 *    (people.region_code is their employer's region; 80 % of an employer's people hold the series
 *    of its kind: a hospital, health), title series/levels of content/reference/titles.json,
 *    title years 2015–2025; and 5 CE years (2022–2026) of hours, ~65 % of person-years met. FOR SEEDING SPEED ONLY, IN THIS THROWAWAY DATABASE: the hours are
 *    written with INSERT … SELECT straight into hour_entries (one entry per person × year ×
 *    category) and hour_totals (their sums), with the hour_totals_compliance trigger disabled
 *    while doing so (every seeded person is already marked by people_compliance_insert). The
 *    production path is the ledger's `credit`, which step 4 measures.
 * 2. Builds the figures with the real refresher (`refreshBatch`/`refreshAll`, now
 *    2026-11-30T04:00Z: CE year 2026, application year 2027), trying a few batch sizes on the
 *    first 100,000 and draining the rest with the fastest; prints people/s.
 * 3. Times the dashboard's reads (`summary`, `breakdown` by region/employer/series/level, `trend`,
 *    `freshness`, `listPeople` first page of status short) for the province ('220000') and a 市州
 *    ('220100'): median and p95 of BENCH_RUNS runs after a warm-up. Then grows the population to
 *    BENCH_PEOPLE (1,000,000) the same way, refreshes, and times them again: both sizes side by
 *    side with the ratio (the issue: the answer time must not grow with size), the roll-up row
 *    counts, and the EXPLAIN ANALYZE of the province summary.
 * 4. The cost the roll-ups add to a ledger credit: `credit` (one transaction each, random people,
 *    8 concurrent loops, BENCH_CREDIT_SECONDS per mode) with the hour_totals_compliance trigger
 *    disabled and enabled, in rounds off, on, on, off; then the refresher's throughput on the
 *    marks those credits left.
 * 5. A full-province export, if app/domain/compliance/exports.server.ts exports `runExport`: XLSX
 *    and CSV, each in a child process with the worker's node flags (WORKER_NODE_ARGS) running
 *    test/bench/compliance-export-child.ts, which prints its rows, bytes, time and peak RSS.
 *
 * Before timing reads the compliance tables are VACUUM ANALYZEd (the steady state autovacuum
 * reaches). BENCH_KEEP=1 keeps the database afterwards (dropped otherwise, also on failure).
 * A benchmark, not a test: it prints figures and never fails on them (exit 1 only on a crash).
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'

import pg from 'pg'

import type { DB } from '#db/schema.ts'
import { dropDatabase, recreateDatabase, startTestServices, TEST_DATA_KEY } from '#test/setup/services.ts'
import { WORKER_NODE_ARGS } from '#workers/node-args.ts'

import { root } from './lib.ts'

const SMALL = 100_000
const BIG = Math.max(SMALL, Number(process.env.BENCH_PEOPLE ?? 1_000_000))
const CHUNK = 100_000
const RUNS = Number(process.env.BENCH_RUNS ?? 30)
const WARMUP = 3
const CREDIT_SECONDS = Number(process.env.BENCH_CREDIT_SECONDS ?? 10)
const CREDIT_LOOPS = 8
const LIMITS = [500, 1000, 2000, 5000]
const TRIAL_PEOPLE = 10_000
const DB_NAME = 'xueshi_bench_compliance'
const NOW = new Date('2026-11-30T04:00:00Z')
const SCOPES = ['220000', '220100']
const TARGET_RSS_MB = 300
const EMPLOYERS = 2000
const ID_POOL = 1000

// ------------------------------------------------------------------------------------------ data

type Named = { code: string; zh: string }
const regionsFile = JSON.parse(readFileSync(path.join(root, 'content/reference/regions.json'), 'utf8')) as { regions: Named[] }
const titlesFile = JSON.parse(readFileSync(path.join(root, 'content/reference/titles.json'), 'utf8')) as {
  series: Named[]
  levels: Named[]
}
/** Share (%) of employers — and so of people — per region; codes not listed get 1. */
const REGION_SHARE: Record<string, number> = {
  '220100': 30,
  '220200': 14,
  '220300': 8,
  '220400': 4,
  '220500': 6,
  '220600': 4,
  '220700': 8,
  '220800': 5,
  '222400': 9,
  '220581': 3,
  'JL-CCXQ': 4,
}
const SERIES_SHARE: Record<string, number> = {
  health: 8,
  education: 8,
  engineering: 6,
  higher_education: 3,
  agriculture: 3,
  accounting: 3,
  economics: 2,
}
const LEVEL_SHARE: Record<string, number> = { none: 1, junior: 3, intermediate: 4, associate_senior: 2, senior: 1 }

/** A list where each code appears as often as its share: picking an element uniformly picks by share. */
function weighted(codes: string[], share: Record<string, number>): string[] {
  return codes.flatMap((c) => Array<string>(share[c] ?? 1).fill(c))
}

const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶']
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '秀英',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '玉兰',
  '建国',
  '志宏',
  '海波',
  '晓东',
  '春梅',
]
/** Employer kinds and the title series most of their people hold (the rest: any series). */
const KINDS: [string, string][] = [
  ['人民医院', 'health'],
  ['第一中学', 'education'],
  ['实验小学', 'education'],
  ['建筑设计院', 'engineering'],
  ['农业技术推广站', 'agriculture'],
  ['会计师事务所', 'accounting'],
  ['水利勘测设计院', 'engineering'],
  ['职业技术学院', 'higher_education'],
  ['中心卫生院', 'health'],
  ['电力公司', 'engineering'],
]
/** Share (%) of people whose series is their employer's main one. */
const MAIN_SERIES_PCT = 80

// ----------------------------------------------------------------------------------------- stats

const median = (xs: number[]) => quantile(xs, 0.5)
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN
}
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1))
const secs = (t0: number) => (performance.now() - t0) / 1000
const int = (n: number) => Math.round(n).toLocaleString('en-US')

// ---------------------------------------------------------------------------------------- seeding

async function seedEmployers(c: pg.Client) {
  const codes = regionsFile.regions.map((r) => r.code)
  const byRegion = weighted(codes, REGION_SHARE)
  const zh = new Map(regionsFile.regions.map((r) => [r.code, r.zh]))
  const names: string[] = []
  const regions: string[] = []
  for (let i = 0; i < EMPLOYERS; i++) {
    const region = byRegion[(i * 37) % byRegion.length]!
    regions.push(region)
    names.push(`${zh.get(region)}第${i + 1}${KINDS[i % KINDS.length]![0]}`)
  }
  await c.query(
    `insert into employers (name, name_norm, region_code) select n, n, r from unnest($1::text[], $2::text[]) with ordinality u(n, r, k) order by k`,
    [names, regions],
  )
}

async function seedIdPool(c: pg.Client) {
  const { encryptPii } = await import('#app/lib/crypto.server.ts')
  const { idNumberCheckChar } = await import('#app/domain/shared/id-number.ts')
  const blobs: Buffer[] = []
  for (let i = 0; i < ID_POOL; i++) {
    const birth = new Date(Date.UTC(1965, 0, 1) + i * 11 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '')
    const first17 = `220102${birth}${String(i % 1000).padStart(3, '0')}`
    blobs.push(encryptPii(first17 + idNumberCheckChar(first17)))
  }
  await c.query('create temporary table bench_id_pool (k int primary key, enc bytea not null)')
  await c.query('insert into bench_id_pool select k - 1, e from unnest($1::bytea[]) with ordinality u(e, k)', [blobs])
}

/** People with series numbers (from, to]: employer skewed towards low ids (a few big employers). */
async function seedPeople(c: pg.Client, from: number, to: number) {
  const series = weighted(
    titlesFile.series.map((s) => s.code),
    SERIES_SHARE,
  )
  const levels = weighted(
    titlesFile.levels.map((l) => l.code),
    LEVEL_SHARE,
  )
  await c.query(
    `insert into people (id_number_enc, id_number_hash, name, gender, birth_date, employer, employer_id, region_code,
                         title_series, title_level, title_year)
     select pool.enc, sha256(convert_to('bench-person:' || s.g, 'UTF8')),
            ($3::text[])[1 + s.g % cardinality($3::text[])] || ($4::text[])[1 + (s.g / 7) % cardinality($4::text[])],
            case when s.g % 2 = 0 then 'M' else 'F' end, date '1965-01-01' + (s.g % 12000)::int,
            e.name, e.id, e.region_code,
            case when s.g % 100 < ${MAIN_SERIES_PCT} then ($7::text[])[1 + (e.id - (select min(id) from employers)) % ${KINDS.length}]
                 else ($5::text[])[1 + (s.g * 31) % cardinality($5::text[])] end, s.level,
            case when s.level = 'none' then null else 2015 + (s.g % 11)::int end
     from (select g, ($6::text[])[1 + (g * 17 + g / 3) % cardinality($6::text[])] as level,
                  (select min(id) from employers) + floor(${EMPLOYERS} * power(((g * 2654435761) % 1000003) / 1000003.0, 2))::bigint as emp
           from generate_series($1::bigint + 1, $2::bigint) g) s
     join employers e on e.id = s.emp
     join bench_id_pool pool on pool.k = s.g % ${ID_POOL}`,
    [from, to, SURNAMES, GIVEN, series, levels, KINDS.map((k) => k[1])],
  )
}

/**
 * Hours for people with ids in (lo, hi]: per CE year met with a probability that varies by
 * employer and year (lower in 2026, still running); short by professional, public or both.
 */
async function seedHours(c: pg.Client, lo: number, hi: number) {
  await c.query(
    `with py as (
       select p.id, p.employer_id, y, (p.id * 2654435761 + y * 40503) % 1000003 as h
       from people p cross join generate_series(2022, 2026) y
       where p.id > $1 and p.id <= $2),
     v as (
       select id, y, h, (h % 100) < (58 + employer_id % 17 + (y - 2022) - case when y = 2026 then 10 else 0 end) as met from py),
     hrs as (
       select id, y,
         case when met or h % 3 = 1 then 60 + (h / 100) % 21 else (h / 100) % 60 end + ((h / 7) % 2) * 0.5 as prof,
         case when met or h % 3 = 0 then 30 + (h / 1000) % 11 else (h / 1000) % 30 end::numeric as pub
       from v)
     insert into hour_entries (person_id, ce_year, category, hours, source_kind, counted, idempotency_key, occurred_at)
     select id, y, cat, hours, 'online_course', true, 'bench:' || id || ':' || y || ':' || cat,
            make_timestamptz(y, 6, 15, 2, 0, 0, 'UTC')
     from hrs cross join lateral (values ('professional', prof), ('public', pub)) x(cat, hours)
     where hours > 0`,
    [lo, hi],
  )
  await c.query(
    `insert into hour_totals (person_id, ce_year, category, counted_hours, recorded_hours)
     select person_id, ce_year, category, sum(hours), sum(hours) from hour_entries
     where person_id > $1 and person_id <= $2 group by 1, 2, 3`,
    [lo, hi],
  )
}

async function maxPersonId(c: pg.Client): Promise<number> {
  return Number((await c.query<{ m: string | null }>('select max(id) m from people')).rows[0]!.m ?? 0)
}

/** Grows the population to `to` people (series numbers from `from`), in chunks. */
async function grow(c: pg.Client, from: number, to: number) {
  let people = 0
  let hours = 0
  await c.query('alter table hour_totals disable trigger hour_totals_compliance')
  try {
    for (let a = from; a < to; a += CHUNK) {
      const b = Math.min(to, a + CHUNK)
      const lo = await maxPersonId(c)
      let t = performance.now()
      await seedPeople(c, a, b)
      people += secs(t)
      const hi = await maxPersonId(c)
      t = performance.now()
      await seedHours(c, lo, hi)
      hours += secs(t)
      process.stdout.write(`\r  seeded ${int(b)} people …`)
    }
  } finally {
    await c.query('alter table hour_totals enable trigger hour_totals_compliance')
  }
  const t = performance.now()
  await c.query('analyze people; analyze hour_entries; analyze hour_totals; analyze compliance_dirty')
  const counts = await c.query<{ p: string; e: string; t: string; d: string }>(
    `select (select count(*) from people) p, (select count(*) from hour_entries) e, (select count(*) from hour_totals) t,
            (select count(*) from compliance_dirty) d`,
  )
  const r = counts.rows[0]!
  console.log(
    `\r  seeded ${int(to - from)} people in ${people.toFixed(1)} s, their hours in ${hours.toFixed(1)} s (analyze ${secs(t).toFixed(1)} s): ` +
      `now ${int(Number(r.p))} people, ${int(Number(r.e))} hour entries, ${int(Number(r.t))} hour totals, ${int(Number(r.d))} marked`,
  )
}

// ---------------------------------------------------------------------------------------- refresh

type RefreshMod = typeof import('#app/domain/compliance/refresh.server.ts')

/** Drains the marks with `limit`; returns people/s. */
async function drain(db: DB, refresh: RefreshMod, limit: number): Promise<{ n: number; s: number; rate: number }> {
  const t = performance.now()
  const n = await refresh.refreshAll(db, { now: NOW, limit })
  const s = secs(t)
  return { n, s, rate: n / s }
}

async function vacuumCompliance(c: pg.Client) {
  await c.query('vacuum analyze compliance_dirty, compliance_people, compliance_person_years, compliance_rollups, compliance_state')
}

// ----------------------------------------------------------------------------------------- reads

type Timing = { p50: number; p95: number }
type Reads = Map<string, Timing>

async function timeReads(db: DB, label: string): Promise<Reads> {
  const dash = await import('#app/domain/compliance/dashboard.server.ts')
  const ppl = await import('#app/domain/compliance/people.server.ts')
  const years = [...(await ppl.coveredYears(db, NOW))].reverse()
  const fresh = await dash.freshness(db)
  const appYear = fresh.applicationYear ?? 2027
  const f = { year: 2026, status: 'short' as const, integrity: 'any' as const }
  const out: Reads = new Map()
  for (const scope of SCOPES) {
    const queries: [string, () => Promise<unknown>][] = [
      ['summary', () => dash.summary(db, scope, f, appYear)],
      ...dash.DIMENSIONS.map((d) => [`breakdown ${d}`, () => dash.breakdown(db, scope, f, appYear, d)] as [string, () => Promise<unknown>]),
      ['trend', () => dash.trend(db, scope, f, years)],
      ['freshness', () => dash.freshness(db)],
      ['listPeople short p.1', () => ppl.listPeople(db, scope, f)],
    ]
    for (const [name, run] of queries) {
      for (let i = 0; i < WARMUP; i++) await run()
      const xs: number[] = []
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now()
        await run()
        xs.push(performance.now() - t)
      }
      out.set(`${name}|${scope}`, { p50: median(xs), p95: quantile(xs, 0.95) })
    }
  }
  const s = await dash.summary(db, '220000', f, appYear)
  const l = await ppl.listPeople(db, '220100', f)
  console.log(
    `  ${label}: province people ${int(s.people)}, met 2026 ${int(s.met)} (${((100 * s.met) / Math.max(1, s.people)).toFixed(1)} %), ` +
      `ready for ${appYear} ${int(s.ready)}; 220100 first page ${l.rows.length} rows, more: ${l.more}; years ${years.join(',')}; ` +
      `backlog ${fresh.backlog}`,
  )
  return out
}

function printReads(small: Reads, big: Reads | undefined) {
  const bigLabel = `${int(BIG / 1000)}k`
  const head = ['query', 'scope', '100k p50', '100k p95', `${bigLabel} p50`, `${bigLabel} p95`, 'p50 ratio']
  const rows = [...small.keys()].map((k) => {
    const [name, scope] = k.split('|') as [string, string]
    const a = small.get(k)!
    const b = big?.get(k)
    return [name, scope, ms(a.p50), ms(a.p95), b ? ms(b.p50) : '-', b ? ms(b.p95) : '-', b ? `×${(b.p50 / a.p50).toFixed(2)}` : '-']
  })
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) => '  ' + r.map((x, i) => (i < 2 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ')
  console.log(`\nDashboard reads, ms (median and p95 of ${RUNS} runs after ${WARMUP} warm-up runs, one at a time):`)
  console.log(line(head))
  for (const r of rows) console.log(line(r))
}

/**
 * EXPLAIN ANALYZE of the province summary: the SQL `summary()` sends for scope 220000 (written out
 * here, as of this bench; keep in step with dashboard.server.ts).
 */
async function explainSummary(c: pg.Client) {
  const r = await c.query<{ 'QUERY PLAN': string }>(
    `explain (analyze, buffers)
     select coalesce(sum(n) filter (where metric = 'people'), 0) as people, coalesce(sum(n) filter (where metric = 'met'), 0) as met,
            coalesce(sum(n) filter (where metric = 'ready'), 0) as ready
     from compliance_rollups
     where grain = 'rsl' and ((metric = 'people' and year = 0) or (metric = 'met' and year = 2026) or (metric = 'ready' and year = 2027))`,
  )
  console.log('  EXPLAIN ANALYZE of summary(220000):')
  for (const row of r.rows) console.log(`    ${row['QUERY PLAN']}`)
  const g = await c.query<{ metric: string; n: string }>(
    "select grain || ' ' || metric as metric, count(*) n from compliance_rollups group by 1 order by 1",
  )
  console.log(`  roll-up rows per grain and metric: ${g.rows.map((x) => `${x.metric} ${int(Number(x.n))}`).join(', ')}`)
}

// ---------------------------------------------------------------------------------------- credits

type CreditRun = { n: number; s: number; lat: number[] }

async function creditRun(db: DB, maxId: number, tag: string, seconds: number): Promise<CreditRun> {
  const { credit } = await import('#app/domain/hours/ledger.server.ts')
  const until = performance.now() + seconds * 1000
  const lat: number[] = []
  const loop = async (k: number) => {
    for (let n = 0; performance.now() < until; n++) {
      const personId = 1 + Math.floor(Math.random() * maxId)
      const t = performance.now()
      await db.transaction().execute((trx) =>
        credit(trx, {
          personId,
          category: Math.random() < 0.6 ? 'professional' : 'public',
          hours: '1.5',
          sourceKind: 'online_course',
          idempotencyKey: `bench-credit:${tag}:${k}:${n}`,
          occurredAt: new Date('2026-10-01T02:00:00Z'),
          ceYear: 2026,
        }),
      )
      lat.push(performance.now() - t)
    }
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: CREDIT_LOOPS }, (_, k) => loop(k)))
  return { n: lat.length, s: secs(t0), lat }
}

// ----------------------------------------------------------------------------------------- export

type ChildResult = { rows: number; bytes: number; ms: number; maxRssMb: number }

function runExportChild(env: Record<string, string>, exportId: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...WORKER_NODE_ARGS, '--import', 'tsx', path.join(root, 'test/bench/compliance-export-child.ts'), String(exportId)],
      { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => {
      const m = /EXPORT_RESULT (\{.*\})/.exec(out)
      if (code !== 0 || !m) reject(new Error(`export child exited ${code}: ${out.slice(-2000)}`))
      else resolve(JSON.parse(m[1]!) as ChildResult)
    })
  })
}

async function benchExport(c: pg.Client, env: Record<string, string>) {
  const file = path.join(root, 'app/domain/compliance/exports.server.ts')
  let available = false
  if (existsSync(file)) {
    try {
      const mod = (await import('#app/domain/compliance/exports.server.ts' as string)) as Record<string, unknown>
      available = typeof mod.runExport === 'function'
    } catch (e) {
      console.log(`  exports.server.ts does not load: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  if (!available) {
    console.log('  export: not available (app/domain/compliance/exports.server.ts has no runExport yet)')
    return
  }
  const acc = await c.query<{ id: string }>(
    `insert into accounts (person_id, phone, password_hash, role, scope_region)
     values ((select min(id) from people), '13800000013', 'bench-not-a-hash', 'hr', '220000') returning id`,
  )
  const accountId = acc.rows[0]!.id
  for (const format of ['xlsx', 'csv'] as const) {
    const row = await c.query<{ id: string }>(
      `insert into compliance_exports (account_id, scope_region, filter, format, expires_at)
       values ($1, '220000', $2::jsonb, $3, now() + interval '1 day') returning id`,
      [accountId, JSON.stringify({ year: 2026, status: 'all', integrity: 'any' }), format],
    )
    const exportId = Number(row.rows[0]!.id)
    try {
      const r = await runExportChild(env, exportId)
      const after = await c.query<{ status: string; file_path: string | null }>(
        'select status, file_path from compliance_exports where id = $1',
        [exportId],
      )
      const { status, file_path } = after.rows[0]!
      console.log(
        `  ${format}: ${int(r.rows)} rows, ${(r.bytes / 1e6).toFixed(1)} MB in ${(r.ms / 1000).toFixed(1)} s = ${int(r.rows / (r.ms / 1000))} rows/s; ` +
          `peak RSS ${r.maxRssMb} MB (target ≤ ${TARGET_RSS_MB} MB: ${r.maxRssMb <= TARGET_RSS_MB ? 'met' : 'MISSED'}); row status ${status}`,
      )
      if (file_path && existsSync(file_path)) rmSync(file_path, { force: true })
    } catch (e) {
      console.log(`  ${format}: export failed: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
}

// ------------------------------------------------------------------------------------------- main

async function main() {
  process.env.REDIS_URL ??= 'redis://127.0.0.1:6379'
  const services = await startTestServices((s) => console.log(s))
  const keep = process.env.BENCH_KEEP === '1'
  let client: pg.Client | undefined
  let kdb: DB | undefined
  const tStart = performance.now()
  try {
    const url = await recreateDatabase(services.adminUrl, DB_NAME)
    process.env.DATABASE_URL = url
    process.env.XUESHI_DATA_KEY = TEST_DATA_KEY
    process.env.LOG_LEVEL = 'warn'
    const { createDb } = await import('#app/lib/db.server.ts')
    const { prepareDatabase } = await import('#app/cli/prepare.ts')
    const mdb = createDb(url, 1)
    const prepared = await prepareDatabase(mdb)
    await mdb.destroy()
    console.log(`Database ${DB_NAME}: migrated; policies loaded: ${prepared.policies.join(', ') || '(already)'}`)

    const refresh = await import('#app/domain/compliance/refresh.server.ts')
    const db = createDb(url, CREDIT_LOOPS + 2)
    kdb = db
    client = new pg.Client({ connectionString: url })
    await client.connect()
    const c = client
    await c.query('set synchronous_commit = off')

    // 1. 100,000 people.
    console.log(`\n1. Seeding ${int(SMALL)} people × 5 CE years (then ${int(BIG)}):`)
    await seedEmployers(c)
    await seedIdPool(c)
    await grow(c, 0, SMALL)

    // 2. The refresher: batch sizes tried on the first 100,000, the rest drained with the fastest.
    console.log('\n2. Refresher (refreshBatch, now 2026-11-30T04:00Z):')
    let t = performance.now()
    const first = await refresh.refreshBatch(db, { now: NOW, limit: 1 })
    console.log(`  first batch (policy fingerprint recorded, rebuild: ${first.rebuild}): ${(secs(t) * 1000).toFixed(0)} ms`)
    let best = { limit: 1000, rate: 0 }
    for (const limit of LIMITS) {
      t = performance.now()
      let n = 0
      while (n < TRIAL_PEOPLE) {
        const r = await refresh.refreshBatch(db, { now: NOW, limit })
        if (r.processed === 0) break
        n += r.processed
      }
      const rate = n / secs(t)
      console.log(`  limit ${String(limit).padStart(4)}: ${int(n)} people in ${secs(t).toFixed(1)} s = ${int(rate)} people/s`)
      if (rate > best.rate) best = { limit, rate }
    }
    let d = await drain(db, refresh, best.limit)
    console.log(`  rest with limit ${best.limit}: ${int(d.n)} people in ${d.s.toFixed(1)} s = ${int(d.rate)} people/s`)
    await vacuumCompliance(c)

    // 3a. Reads at 100,000.
    console.log('\n3. Dashboard reads:')
    const small = await timeReads(db, `${int(SMALL)} people`)

    // 3b. Grow to BIG, refresh, reads again.
    let big: Reads | undefined
    if (BIG > SMALL) {
      console.log(`\n  Growing to ${int(BIG)} people:`)
      await grow(c, SMALL, BIG)
      d = await drain(db, refresh, best.limit)
      console.log(`  refresher, limit ${best.limit}: ${int(d.n)} people in ${d.s.toFixed(1)} s = ${int(d.rate)} people/s`)
      t = performance.now()
      await vacuumCompliance(c)
      console.log(`  vacuum analyze of the compliance tables: ${secs(t).toFixed(1)} s`)
      big = await timeReads(db, `${int(BIG)} people`)
    }
    printReads(small, big)
    const sizes = await c.query<{ t: string; s: string }>(
      `select relname t, pg_size_pretty(pg_total_relation_size(oid)) s from pg_class
       where relname in ('compliance_rollups','compliance_people','compliance_person_years','hour_entries','hour_totals','people')`,
    )
    const rollups = await c.query<{ n: string }>('select count(*) n from compliance_rollups')
    console.log(
      `  compliance_rollups: ${int(Number(rollups.rows[0]!.n))} rows; sizes: ${sizes.rows.map((r) => `${r.t} ${r.s}`).join(', ')}`,
    )
    await explainSummary(c)

    // 4. Credits with and without the compliance trigger, then the refresher on the marks left.
    console.log(
      `\n4. Ledger credits (credit, one transaction each, ${CREDIT_LOOPS} concurrent loops × ${CREDIT_SECONDS} s, random people):`,
    )
    const maxId = await maxPersonId(c)
    // Rounds off, on, on, off (each half the time): drift on a shared machine falls on both alike.
    const rounds: { on: boolean; r: CreditRun }[] = []
    await creditRun(db, maxId, 'warmup', 2) // not counted: the first credits pay for imports, connections, a cold index
    await c.query('delete from compliance_dirty')
    for (const [i, on] of [false, true, true, false].entries()) {
      if (!on) await c.query('alter table hour_totals disable trigger hour_totals_compliance')
      try {
        rounds.push({ on, r: await creditRun(db, maxId, `r${i}`, CREDIT_SECONDS / 2) })
      } finally {
        if (!on) await c.query('alter table hour_totals enable trigger hour_totals_compliance')
      }
    }
    const marked = Number((await c.query<{ n: string }>('select count(*) n from compliance_dirty')).rows[0]!.n)
    const sum = (on: boolean) => {
      const rs = rounds.filter((x) => x.on === on).map((x) => x.r)
      const n = rs.reduce((a, x) => a + x.n, 0)
      const s = rs.reduce((a, x) => a + x.s, 0)
      return {
        n,
        rate: n / s,
        p50: median(rs.flatMap((x) => x.lat)),
        p99: quantile(
          rs.flatMap((x) => x.lat),
          0.99,
        ),
      }
    }
    const off = sum(false)
    const on = sum(true)
    console.log(`  trigger disabled: ${int(off.n)} credits, ${int(off.rate)} credits/s (p50 ${ms(off.p50)} ms, p99 ${ms(off.p99)} ms)`)
    console.log(`  trigger enabled:  ${int(on.n)} credits, ${int(on.rate)} credits/s (p50 ${ms(on.p50)} ms, p99 ${ms(on.p99)} ms)`)
    console.log(`  rounds (off, on, on, off): ${rounds.map((x) => int(x.r.n / x.r.s)).join(', ')} credits/s`)
    console.log(`  cost of keeping the roll-ups: ${((100 * (off.rate - on.rate)) / off.rate).toFixed(1)} % fewer credits/s`)
    d = await drain(db, refresh, best.limit)
    console.log(`  refresher on the ${int(marked)} people marked: ${int(d.n)} in ${d.s.toFixed(2)} s = ${int(d.rate)} people/s`)

    // 5. Full-province export.
    console.log('\n5. Full-province export (filter year 2026, status all):')
    await benchExport(c, { DATABASE_URL: url, XUESHI_DATA_KEY: TEST_DATA_KEY, LOG_LEVEL: 'warn' })

    console.log(`\nTotal run time: ${(secs(tStart) / 60).toFixed(1)} min`)
  } finally {
    await client?.end().catch(() => undefined)
    await kdb?.destroy().catch(() => undefined)
    if (keep) console.log(`Kept database ${DB_NAME} (BENCH_KEEP=1).`)
    else await dropDatabase(services.adminUrl, DB_NAME).catch(() => undefined)
    await services.stop()
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e)
    process.exit(1)
  },
)
