/** Advanced seminars (高级研修班): registration notices (the pages come with issue 12). */
export default {
  'notice.seminar_confirmed.title': '研修班报名成功',
  'notice.seminar_confirmed.body': '您已获得「{title}」的名额。',
  'notice.seminar_waitlisted.title': '已进入研修班候补名单',
  'notice.seminar_waitlisted.body': '「{title}」名额已满，您已进入候补名单；有空位时按报名先后依次递补。',
  'notice.seminar_offered.title': '研修班候补名额待确认',
  'notice.seminar_offered.body': '「{title}」有名额空出，请在 {offerExpiresAt} 前确认是否参加。',
  'notice.seminar_pending_approval.title': '研修班报名待审核',
  'notice.seminar_pending_approval.body': '您已获得「{title}」的名额，待审核通过后生效。',
  'notice.seminar_cancelled.title': '研修班报名已取消',
  'notice.seminar_cancelled.body': '您在「{title}」的报名已取消。',
  'notice.seminar_declined.title': '已放弃研修班候补名额',
  'notice.seminar_declined.body': '您已放弃「{title}」的候补名额。',
  'notice.seminar_offer_expired.title': '研修班候补名额已过期',
  'notice.seminar_offer_expired.body': '「{title}」的候补名额未在期限内确认，已递补给下一位。',
}
