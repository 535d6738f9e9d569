import type zh from '../zh/compliance.ts'

export default {
  'compliance.title': 'Compliance oversight',
} satisfies Record<keyof typeof zh, string>
