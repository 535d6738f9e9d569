import type zh from '../zh/base.ts'

export default {
  'base.title': 'Base workspace',
  'base.info': 'Base details',
  'base.name': 'Name',
  'base.creditCode': 'Unified social credit code',
  'base.region': 'Region',
  'base.status': 'Status',
  'base.status.applied': 'Applied',
  'base.status.designated': 'Designated',
  'base.status.rectification': 'Under rectification',
  'base.status.revoked': 'Revoked',
} satisfies Record<keyof typeof zh, string>
