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

  'login.forgot': 'Forgot your password?',

  'err.register.refused':
    'This ID number or mobile number cannot be registered here. If the account is yours, sign in or recover it with “Forgot your password?”; otherwise contact your local HR office.',
  'err.register.tooMany': 'Too many registration attempts. Try again in {minutes} min.',
  'register.forgotLink': 'Recover your password',

  'password.title': 'Change password',
  'password.lead': 'After the change, every other device is signed out; this one stays signed in.',
  'password.mustChange': 'An administrator gave you a temporary password. Set a new one before you continue.',
  'password.current': 'Current password',
  'password.new': 'New password',
  'password.submit': 'Change password',
  'password.done': 'Password changed; {count} other device(s) signed out.',
  'err.password.current': 'The current password is not correct.',
  'err.password.same': 'The new password must differ from the current one.',
  'err.password.locked': 'Too many wrong passwords. Try again in {minutes} min.',

  'reset.title': 'Recover your password',
  'reset.lead':
    'Enter your ID number or the mobile number you registered with. We send a 6-digit code to the account’s registered mobile; it is valid for 10 minutes.',
  'reset.send': 'Send code',
  'reset.sent':
    'If the number belongs to an account, a code has been sent to its registered mobile (valid for 10 minutes). Nothing arrived? Try again later or contact your local HR office.',
  'reset.code': 'Code',
  'reset.code.hint': 'The 6 digits in the text message',
  'reset.submit': 'Set new password',
  'reset.done': 'Your password has been reset. Sign in with the new one.',
  'reset.again': 'Send a new code',
  'reset.sms': '[Xueshi] Your password reset code is {code}, valid for 10 minutes. If you did not ask for it, ignore this message.',
  'err.reset.codeFormat': 'Enter the 6-digit code',
  'err.reset.code': 'The code is wrong or no longer valid. Ask for a new one.',
  'err.reset.tooMany': 'Too many requests. Try again in {minutes} min.',

  'outbox.title': 'Development SMS outbox',
  'outbox.lead':
    'With no SMS provider configured (XUESHI_SMS_URL), text messages are not sent: they go to the server log and appear here. Reachable from this machine only; production has no such page.',
  'outbox.none': 'No messages.',
  'outbox.to': 'To',
  'outbox.text': 'Text',
  'outbox.at': 'Time',

  'account.edit': 'Update your details',
  'account.edit.lead':
    'Mobile number and employer change at once. A change of title or title year takes effect once your local HR office has verified it; until then credit checks use your current title.',
  'account.edit.submit': 'Save',
  'account.edit.saved': 'Saved.',
  'account.edit.pending': 'Saved. Your title change has been sent to your local HR office for verification.',
  'account.titlePending': 'Title change awaiting verification: {title} (sent {time})',
  'account.password': 'Password',
  'account.password.change': 'Change password',
} satisfies Record<keyof typeof zh, string>
