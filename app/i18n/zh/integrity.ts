/** Integrity records (诚信档案): the domain's result codes, statuses, source kinds, check-API reason and notices. */
export default {
  'notice.integrity_record.title': '诚信档案记录',
  'notice.integrity_record.body':
    '经核查，相关学时证明材料存在伪造或冒用情形（文号：{documentNumber}），已记入诚信档案，有效期至 {endsOn}（不含当日），相应学时已冲销。如有异议，可在 {appealLastDay} 前（含当日）在“我的学时”中向省级人社部门提出申诉。',
  'notice.integrity_appeal_upheld.title': '诚信档案申诉未获支持',
  'notice.integrity_appeal_upheld.body': '您对诚信档案记录（文号：{documentNumber}）的申诉经省级人社部门复核，维持原记录。理由：{reason}',
  'notice.integrity_appeal_withdrawn.title': '诚信档案记录已撤销',
  'notice.integrity_appeal_withdrawn.body':
    '您对诚信档案记录（文号：{documentNumber}）的申诉经省级人社部门复核，该记录已撤销，自 {endsOn} 起不再生效。理由：{reason}。已冲销的学时如属真实，将由人社部门另行补记。',

  'integrity.status.proposed': '待复核',
  'integrity.status.in_force': '生效中',
  'integrity.status.withdrawn': '已撤销',
  'integrity.status.cancelled': '已取消',
  'integrity.subject.person': '个人',
  'integrity.subject.base': '继续教育基地',
  'integrity.source.claim': '平台外学时申报',
  'integrity.source.entry': '学时记录',
  'integrity.source.roster_row': '培训名单',
  'integrity.appealDecision.upheld': '维持',
  'integrity.appealDecision.withdrawn': '撤销',

  'integrity.err.not_found': '没有找到该记录或来源。',
  'integrity.err.out_of_scope': '该人员或基地不在您的管辖范围内。',
  'integrity.err.finding_required': '请填写认定事实。',
  'integrity.err.document_required': '请填写认定文书的文号。',
  'integrity.err.evidence_required': '请上传证据材料。',
  'integrity.err.evidence_type': '证据材料须为 PDF、PNG 或 JPEG 文件。',
  'integrity.err.evidence_too_large': '证据材料不能超过 5 MB。',
  'integrity.err.already_open': '该来源已有待复核或生效中的诚信档案记录。',
  'integrity.err.not_proposed': '该记录不是待复核状态，无法操作。',
  'integrity.err.own_finding': '不能复核自己提出的认定，须由同一管辖范围的另一名工作人员复核。',
  'integrity.err.reason_required': '请填写理由。',
  'integrity.err.not_in_force': '该记录当前不在有效期内，无法申诉。',
  'integrity.err.appeal_closed': '申诉期限已过。',
  'integrity.err.already_appealed': '您已对该记录提出过申诉。',
  'integrity.err.text_required': '请填写申诉理由。',
  'integrity.err.not_province': '只有省级人社部门可以处理申诉。',
  'integrity.err.no_appeal': '该记录没有待处理的申诉。',
  'integrity.err.already_decided': '该申诉已处理。',

  'integrity.checkReason.integrity_record': '诚信档案记录有效期内（至 {endsOn}，不含当日），不得申报职称',
  'integrity.developers.reason':
    '存在生效中的诚信档案记录（学时证明材料伪造或冒用，经两名人社工作人员认定）时，核验结果为不符合（eligible: false），原因代码为 integrity_record，并给出记录的截止日期 endsOn（不含当日，自该日起恢复正常核验）。记录被撤销后，之后的核验恢复正常结果；已保存的核验记录保持当时的答复不变。',
}
