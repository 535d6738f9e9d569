import type zh from '../zh/compliance-campaigns.ts'

export default {
  'complianceCampaigns.title': 'Reminders',
} satisfies Record<keyof typeof zh, string>
