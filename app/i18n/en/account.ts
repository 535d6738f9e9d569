import type zh from '../zh/account.ts'

export default {
  'register.title': 'Real-name registration',
  'register.lead': 'Register with your own resident ID number. One account per ID number.',
  'register.submit': 'Register',
  'register.haveAccount': 'Already registered?',
  'register.section.identity': 'Identity',
  'register.section.work': 'Work and title',
  'register.section.password': 'Password',

  'login.title': 'Log in',
  'login.submit': 'Log in',
  'login.noAccount': 'No account yet?',

  'account.title': 'My account',
  'account.welcome': 'Hello, {name}',
  'account.profile': 'Profile',
  'account.gender': 'Gender',
  'account.gender.M': 'Male',
  'account.gender.F': 'Female',
  'account.birthDate': 'Date of birth',
  'account.role': 'Role',
  'account.base': 'Training base',
  'account.scope': 'Jurisdiction',
  'account.idNote': 'Your full ID number is shown only to you; everywhere else, in exports and in logs it is masked.',
  'account.notices': 'Notices',
  'account.notices.none': 'No notices.',
  'account.sessions': 'Signed-in devices',
  'account.sessions.current': 'This device',
  'account.sessions.since': 'Signed in {time}',
  'account.sessions.revokeOthers': 'Sign out all other devices',
  'account.sessions.revoked': 'Signed out {count} other devices.',
  'account.sessions.unknownAgent': 'Unknown device',
  'account.none': '—',

  'notice.welcome.title': 'Welcome to Xueshi',
  'notice.welcome.body':
    '{name}, your real-name registration is complete. Each year you need the required continuing-education hours; “My hours” shows each year’s requirement, what you have earned and what is still missing.',
} satisfies Record<keyof typeof zh, string>
