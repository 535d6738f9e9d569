/** Limits of the credit-hours check API, shared by the service, the OpenAPI document and the docs page. */
export const MIN_APPLICATION_YEAR = 2015
export const MAX_BATCH = 1000
import { ceYearOf } from '#app/domain/shared/ce-year.ts'

/** Up to next year, counted in China time like every CE year. */
export const maxApplicationYear = () => ceYearOf(new Date()) + 1
