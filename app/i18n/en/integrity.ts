import type zh from '../zh/integrity.ts'

export default {
  'notice.integrity_record.title': 'Integrity record',
  'notice.integrity_record.body':
    'The evidence behind some of your hours was found to be falsified or used without right (document {documentNumber}). An integrity record is in force until {endsOn} (that day excluded) and the hours concerned have been reversed. You may appeal to province HR on “My hours” until {appealLastDay} (inclusive).',
  'notice.integrity_appeal_upheld.title': 'Integrity record appeal not upheld',
  'notice.integrity_appeal_upheld.body':
    'Province HR reviewed your appeal against the integrity record (document {documentNumber}) and kept the record. Reason: {reason}',
  'notice.integrity_appeal_withdrawn.title': 'Integrity record withdrawn',
  'notice.integrity_appeal_withdrawn.body':
    'Province HR reviewed your appeal against the integrity record (document {documentNumber}) and withdrew it: it no longer applies from {endsOn}. Reason: {reason}. Where the reversed hours were genuine, HR credits them again by a new entry.',

  'integrity.status.proposed': 'Awaiting confirmation',
  'integrity.status.in_force': 'In force',
  'integrity.status.withdrawn': 'Withdrawn',
  'integrity.status.cancelled': 'Cancelled',
  'integrity.subject.person': 'Person',
  'integrity.subject.base': 'Training base',
  'integrity.source.claim': 'External hours claim',
  'integrity.source.entry': 'Hours entry',
  'integrity.source.roster_row': 'Training roster',
  'integrity.appealDecision.upheld': 'Upheld',
  'integrity.appealDecision.withdrawn': 'Withdrawn',

  'integrity.err.not_found': 'No such record or source.',
  'integrity.err.out_of_scope': 'This person or base is outside your scope.',
  'integrity.err.finding_required': 'Enter the finding.',
  'integrity.err.document_required': 'Enter the document number of the decision.',
  'integrity.err.evidence_required': 'Upload the evidence file.',
  'integrity.err.evidence_type': 'The evidence must be a PDF, PNG or JPEG file.',
  'integrity.err.evidence_too_large': 'The evidence file must not exceed 5 MB.',
  'integrity.err.already_open': 'This source already has an integrity record awaiting confirmation or in force.',
  'integrity.err.not_proposed': 'This record is not awaiting confirmation.',
  'integrity.err.own_finding': 'You cannot confirm your own finding: another officer of the same scope must confirm it.',
  'integrity.err.reason_required': 'Enter a reason.',
  'integrity.err.not_in_force': 'This record is not in force, so it cannot be appealed.',
  'integrity.err.appeal_closed': 'The deadline for an appeal has passed.',
  'integrity.err.already_appealed': 'You have already appealed this record.',
  'integrity.err.text_required': 'Enter the grounds of your appeal.',
  'integrity.err.not_province': 'Only province HR decides appeals.',
  'integrity.err.no_appeal': 'This record has no appeal to decide.',
  'integrity.err.already_decided': 'This appeal has already been decided.',

  'integrity.checkReason.integrity_record': 'An integrity record is in force (until {endsOn}, that day excluded): no title application',
  'integrity.developers.reason':
    'While an integrity record is in force (evidence behind hours found falsified or used without right, confirmed by two HR officers), the answer is eligible: false with the reason code integrity_record and the record’s end date endsOn (exclusive: from that day the ordinary answer applies). After a withdrawal, later checks give the ordinary answer; stored checks keep the answer as it was given.',
} satisfies typeof zh
