import type zh from '../zh/employers.ts'

export default {
  'employers.title': 'Employers',
} satisfies Record<keyof typeof zh, string>
