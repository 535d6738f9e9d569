/** Login, registration, my account and its notices. */
export default {
  'register.title': '实名注册',
  'register.lead': '请使用本人居民身份证号码注册，一个身份证号码只能注册一个账户。',
  'register.submit': '注册',
  'register.haveAccount': '已有账户？',
  'register.section.identity': '身份信息',
  'register.section.work': '工作与职称',
  'register.section.password': '设置密码',

  'login.title': '登录',
  'login.submit': '登录',
  'login.noAccount': '还没有账户？',

  'account.title': '我的账户',
  'account.welcome': '{name}，您好',
  'account.profile': '个人信息',
  'account.gender': '性别',
  'account.gender.M': '男',
  'account.gender.F': '女',
  'account.birthDate': '出生日期',
  'account.role': '账户角色',
  'account.base': '所属基地',
  'account.scope': '管辖范围',
  'account.idNote': '完整身份证号码仅向您本人显示；在其他页面、导出和日志中一律脱敏。',
  'account.notices': '消息通知',
  'account.notices.none': '暂无消息。',
  'account.sessions': '登录设备',
  'account.sessions.current': '当前设备',
  'account.sessions.since': '登录于 {time}',
  'account.sessions.revokeOthers': '退出其他所有设备',
  'account.sessions.revoked': '已退出其他 {count} 个设备。',
  'account.sessions.unknownAgent': '未知设备',
  'account.none': '—',

  'notice.welcome.title': '欢迎使用学时平台',
  'notice.welcome.body':
    '{name}，您已完成实名注册。每年须完成规定的继续教育学时，在“我的学时”可随时查看每年的要求、已取得的学时和还差多少。',
}
