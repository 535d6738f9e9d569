import type zh from '../zh/reviews.ts'

export default {
  'reviews.title': 'Training reports review',
} satisfies Record<keyof typeof zh, string>
