/** Reminder campaigns to people short of hours, and the notice the learner sees. */
export default {
  'complianceCampaigns.title': '达标提醒',
}
