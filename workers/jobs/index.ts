import { UnrecoverableError } from 'bullmq'

import type { DB } from '#db/schema.ts'

import * as baseDaily from './base-daily.ts'
import * as baseRectificationReminder from './base-rectification-reminder.ts'
import * as certificateRender from './certificate-render.ts'
import * as complianceCampaignSend from './compliance-campaign-send.ts'
import * as complianceExport from './compliance-export.ts'
import { isJobName, type JobName, type JobPayload, JOBS } from './contract.ts'
import * as importCommit from './import-commit.ts'
import * as importStage from './import-stage.ts'
import * as noticeWelcome from './notice-welcome.ts'
import * as seminarApprovalDeadline from './seminar-approval-deadline.ts'
import * as seminarExpireOffers from './seminar-expire-offers.ts'
import * as seminarPromote from './seminar-promote.ts'

/**
 * Every job's processor by name (the worker's side; producers import ./contract.ts only). The
 * mapped type makes a job without a processor, or a processor under another job's name, a type
 * error.
 */
const PROCESSORS: { [N in JobName]: (db: DB, payload: JobPayload<N>) => Promise<unknown> } = {
  [noticeWelcome.job.name]: noticeWelcome.process,
  [certificateRender.job.name]: certificateRender.process,
  [baseRectificationReminder.job.name]: baseRectificationReminder.process,
  [baseDaily.job.name]: baseDaily.process,
  [importStage.job.name]: importStage.process,
  [importCommit.job.name]: importCommit.process,
  [seminarPromote.job.name]: seminarPromote.process,
  [seminarExpireOffers.job.name]: seminarExpireOffers.process,
  [seminarApprovalDeadline.job.name]: seminarApprovalDeadline.process,
  [complianceExport.job.name]: complianceExport.process,
  [complianceCampaignSend.job.name]: complianceCampaignSend.process,
}

async function run<N extends JobName>(db: DB, name: N, data: unknown): Promise<unknown> {
  const parsed = JOBS[name].schema.safeParse(data)
  if (!parsed.success) throw new UnrecoverableError(`Invalid payload for ${name}: ${parsed.error.message}`)
  const process: (db: DB, payload: JobPayload<N>) => Promise<unknown> = PROCESSORS[name]
  return process(db, parsed.data as JobPayload<N>)
}

/**
 * Runs a job by its name, whichever queue it arrived on: a job relayed to its old queue before a
 * job moved (certificate.render used to share `notices`) still runs. An unknown name or an invalid
 * payload will never succeed, so neither is retried.
 */
export async function processJob(db: DB, name: string, data: unknown): Promise<unknown> {
  if (!isJobName(name)) throw new UnrecoverableError(`Unknown job ${name}`)
  return run(db, name, data)
}
