import type zh from '../zh/public.ts'

export default {
  'home.title': 'Jilin Continuing Education Platform for Professionals',
  'home.lead':
    'Professionals study online, register for advanced seminars and see their hours for every year and category; training bases apply for status and report the training they deliver; HR offices check hours and evaluate bases. Since 2023, continuing-education hours are required for every professional-title application.',
  'home.cta.register': 'Register',
  'home.cta.login': 'Log in',
  'home.cta.account': 'Go to my account',
  'home.for.learner.title': 'Professionals',
  'home.for.learner.body':
    'Complete at least {total} hours a year, at least {professional} of them professional subjects. Online courses count the study time actually verified, and anyone can verify your hours certificate.',
  'home.for.base.title': 'Training bases',
  'home.for.base.body':
    'Apply to become a provincial continuing-education base, report delivered training with participant rosters, host advanced seminars and see your yearly evaluation.',
  'home.for.hr.title': 'HR offices',
  'home.for.hr.body': 'Check the hours of people in your region, review base reports, evaluate bases and follow compliance.',
  'home.for.api.title': 'Title-application system',
  'home.for.api.body': 'Call the credit-hours check before accepting a professional-title application.',
  'home.rules.title': 'Hours requirement',
  'home.rules.body':
    'At least {total} hours a year: generally at least {professional} professional and {public} general hours. Hours count in the year earned and do not carry over.',
  'dev.title': 'Credit-hours check API',
  'dev.lead':
    'The title-application system calls this API before accepting an application, to learn whether the applicant met the continuing-education hours requirement. Every answer is stored and can be fetched again by its checkId as proof.',
  'dev.auth.title': 'Authentication',
  'dev.auth.body':
    'Every request carries an API key issued by a provincial administrator: Authorization: Bearer xs_…. A key is scoped (one region or the whole province) and rate-limited; over the limit the answer is 429 with Retry-After.',
  'dev.single.title': 'Check one applicant',
  'dev.batch.title': 'Check many (up to 1,000 per call)',
  'dev.get.title': 'Fetch a stored answer',
  'dev.errors.title': 'Errors',
  'dev.errors.body': 'Every error has the same shape: { "error": { "code", "message", "details" } }.',
  'dev.rules.title': 'Rules',
  'dev.rules.body':
    'For an application in year Y, every CE year from the year after the current title was obtained through Y−1 must meet the requirement (looking back at most 5 years, never before the first checked year of the policy); applications before 2023 are not checked. The answer’s policyVersion names the policy version applied.',
  'dev.openapi': 'OpenAPI 3.1 document',
  'dev.status': 'Status',
  'dev.meaning': 'Meaning',
  'verify.title': 'Verify an hours certificate',
  'verify.lead': 'No login needed. This page shows what the certificate states; the ID number is masked.',
  'verify.valid': 'This hours certificate was issued by this platform.',
  'verify.superseded': 'Hours records for this year changed after this certificate was issued. Rely on the newest certificate.',
  'verify.current': 'Hours records for this year have not changed since it was issued: the certificate matches the platform’s records.',
  'verify.name': 'Name',
  'verify.idNumber': 'ID number',
  'verify.year': 'Year',
  'verify.hours': 'Counted hours',
  'verify.met': 'Requirement',
  'verify.requirement': 'Yearly requirement',
  'verify.requirementValue': '{total} hours in all, of which {professional} professional and {public} general',
  'verify.policy': 'Policy version',
  'verify.issuer': 'Issuer',
  'verify.issuedOn': 'Issued on',
  'verify.code': 'Verification code',
  'verify.breakdown': 'Hours by how earned',
  'verify.notFound.title': 'Certificate not found',
  'verify.notFound.body':
    'No hours certificate has the code {code}. Check the code on the certificate: 16 letters and digits (no I, O, 0 or 1).',
  'dev.codeLabel': 'Code example',
} satisfies Record<keyof typeof zh, string>
