import type zh from '../zh/seminars.ts'

export default {
  'notice.seminar_confirmed.title': 'Seminar place confirmed',
  'notice.seminar_confirmed.body': 'You have a place at “{title}”.',
  'notice.seminar_waitlisted.title': 'On the seminar waiting list',
  'notice.seminar_waitlisted.body': '“{title}” is full; you are on the waiting list and will be offered a place in order of registration.',
  'notice.seminar_offered.title': 'A seminar place is offered to you',
  'notice.seminar_offered.body': 'A place at “{title}” is free: accept or decline it before {offerExpiresAt}.',
  'notice.seminar_pending_approval.title': 'Seminar registration awaiting approval',
  'notice.seminar_pending_approval.body': 'A place at “{title}” is held for you until your registration is approved.',
  'notice.seminar_cancelled.title': 'Seminar registration cancelled',
  'notice.seminar_cancelled.body': 'Your registration for “{title}” is cancelled.',
  'notice.seminar_declined.title': 'Seminar place declined',
  'notice.seminar_declined.body': 'You declined the place offered at “{title}”.',
  'notice.seminar_offer_expired.title': 'Seminar offer expired',
  'notice.seminar_offer_expired.body': 'The place offered at “{title}” was not accepted in time and went to the next person.',
} satisfies Record<keyof typeof zh, string>
