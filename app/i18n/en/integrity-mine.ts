import type zh from '../zh/integrity-mine.ts'

export default {
  // the panel on 我的学时 and the record page
  'integrityMine.panel.title': 'Integrity record',
  'integrityMine.panel.lead':
    'The human resources and social security authority found that evidence of hours you submitted was forged or used falsely, and recorded it in your integrity file.',
  'integrityMine.panel.inForce':
    'While the record is in force, the title-application system is told that you are not eligible and a title application is refused; from {endsOn} on you may apply again.',
  'integrityMine.panel.ended': 'This record ended on {endsOn} and no longer affects title applications.',
  'integrityMine.panel.withdrawn':
    'Provincial HR reviewed this record and withdrew it: it no longer affects title applications. Hours that were reversed are not restored by this; where they were genuine, HR credits them again.',
  'integrityMine.panel.view': 'View the record and how to appeal',
  'integrityMine.panel.viewLabel': 'View the integrity record (document {documentNumber})',
  'integrityMine.field.finding': 'Finding',
  'integrityMine.field.documentNumber': 'Document number',
  'integrityMine.field.startsOn': 'Start date',
  'integrityMine.field.endsOn': 'End date',
  'integrityMine.field.endsOn.hint': '(no longer in force from that day)',
  'integrityMine.field.status': 'Status',
  'integrityMine.field.appeal': 'Appeal',
  'integrityMine.status.in_force': 'In force',
  'integrityMine.status.ended': 'Ended',
  'integrityMine.status.withdrawn': 'Withdrawn',
  'integrityMine.status.proposed': 'Awaiting confirmation',
  'integrityMine.status.cancelled': 'Cancelled',
  // appeal: how, its state, the form
  'integrityMine.appeal.how':
    'If you disagree with the finding, you may appeal to the Provincial Department of Human Resources and Social Security until {date} (inclusive). You can appeal only once.',
  'integrityMine.appeal.closed': 'The time to appeal ended on {date}.',
  'integrityMine.appeal.pending': 'You appealed on {date}; provincial HR will review it.',
  'integrityMine.appeal.upheld': 'Provincial HR reviewed your appeal on {date} and upheld the finding.',
  'integrityMine.appeal.withdrawn': 'Provincial HR reviewed your appeal on {date} and withdrew the record.',
  'integrityMine.appeal.reason': 'Reason given: {reason}',
  'integrityMine.appeal.yourText': 'Your appeal',
  'integrityMine.appeal.none': 'No appeal',
  'integrityMine.record.title': 'Integrity record',
  'integrityMine.record.back': 'Back to my hours',
  'integrityMine.appeal.heading': 'Appeal',
  'integrityMine.appeal.text': 'Grounds of your appeal',
  'integrityMine.appeal.textHint': 'Say why you believe the finding is wrong, at most 2,000 characters.',
  'integrityMine.appeal.open': 'Appeal',
  'integrityMine.appeal.confirmTitle': 'Send this appeal?',
  'integrityMine.appeal.confirmBody': 'You can appeal only once; an appeal cannot be changed or withdrawn once sent.',
  'integrityMine.appeal.submit': 'Send the appeal',
  'integrityMine.appeal.sent': 'Your appeal was sent. Provincial HR will let you know its decision.',
  'integrityMine.err.text_required': 'Please give the grounds of your appeal.',
  'integrityMine.err.text_too_long': 'The grounds of an appeal can be at most 2,000 characters.',
  'integrityMine.err.appeal_closed': 'The time to appeal is over; this record can no longer be appealed.',
  'integrityMine.err.already_appealed': 'You have already appealed this record; each record can be appealed once.',
  'integrityMine.err.not_in_force': 'This record is not in force, so there is nothing to appeal.',
  // the base's records (on the base's home page and HR's page of the base)
  'integrityMine.base.title': 'Integrity records',
  'integrityMine.base.lead':
    'Findings that training rosters this base reported were false; they count as findings when the base’s rectification or evaluation is decided.',
  'integrityMine.base.leadHr':
    'Findings that training rosters this base reported were false; they count as findings when its rectification or evaluation is decided.',
  'integrityMine.base.none': 'No integrity records.',
  'integrityMine.base.period': '{start} to {end}',
} satisfies Record<keyof typeof zh, string>
