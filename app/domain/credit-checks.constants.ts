/** Limits of the credit-hours check API, shared by the service, the OpenAPI document and the docs page. */
export const MIN_APPLICATION_YEAR = 2015
export const MAX_BATCH = 1000
export const maxApplicationYear = () => new Date().getFullYear() + 1
