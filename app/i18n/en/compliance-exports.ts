import type zh from '../zh/compliance-exports.ts'

export default {
  'complianceExports.title': 'Exports',
} satisfies Record<keyof typeof zh, string>
