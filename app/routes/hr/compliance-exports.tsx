import type { LoaderFunctionArgs } from '@remix-run/node'

import { requireHr } from '#app/auth/hr.server.ts'

// SCAFFOLD: replaced while issue 13 is built.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireHr(request)
  return null
}

export default function Page() {
  return null
}
