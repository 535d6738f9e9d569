import type { CheckAnswer, CheckReason } from '#app/domain/credit-api/credit-checks.server.ts'

/**
 * The credit-check answer as the API gives it: the domain's reasons (codes with their data) get
 * their wording here, at the edge. Callers read `code`; `message` is for people reading the
 * answer, so its text and the answer's shape are part of the published contract (OpenAPI
 * `Reason`: code, year?, message). What this returns is also what is stored as the caller's proof
 * and what GET /api/v1/credit-checks/{id} gives back, unchanged.
 */
export type ReasonJson = { code: CheckReason['code']; year?: number; endsOn?: string; message: string }
export type CheckAnswerJson = Omit<CheckAnswer, 'reasons'> & { reasons: ReasonJson[] }

export function presentReason(r: CheckReason): ReasonJson {
  switch (r.code) {
    case 'not_found':
      return { code: r.code, message: '平台上没有该身份证号码的人员记录' }
    case 'not_subject':
      return { code: r.code, message: `${r.firstApplicationYear}年以前的职称申报不核验继续教育学时` }
    case 'no_years_to_check':
      return { code: r.code, message: '取得现职称后尚无需核验的年度' }
    case 'no_policy':
      return { code: r.code, year: r.year, message: `${r.year}年没有适用的继续教育政策` }
    case 'integrity_record':
      return { code: r.code, endsOn: r.endsOn, message: `诚信档案记录有效期内（至${r.endsOn}，不含当日），不得申报职称` }
    case 'year_not_met': {
      const { year, earned: e, required: q } = r
      return {
        code: r.code,
        year,
        message: `${year}年学时未达标：共${e.total}/${q.total}学时，专业科目${e.professional}/${q.professional}，公需科目${e.public}/${q.public}`,
      }
    }
  }
}

/** The answer with worded reasons; every other field keeps its place, so the JSON is unchanged. */
export function presentAnswer(answer: CheckAnswer): CheckAnswerJson {
  return { ...answer, reasons: answer.reasons.map(presentReason) }
}
