/** Training-base workbench. */
export default {
  'base.title': '基地工作台',
  'base.info': '基地信息',
  'base.name': '基地名称',
  'base.creditCode': '统一社会信用代码',
  'base.region': '所在地区',
  'base.status': '状态',
  'base.status.applied': '已申请',
  'base.status.designated': '已认定',
  'base.status.rectification': '整改中',
  'base.status.revoked': '已撤销',
}
