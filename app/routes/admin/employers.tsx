import type { LoaderFunctionArgs } from '@remix-run/node'

import { requireRole } from '#app/auth/auth.server.ts'

// SCAFFOLD: replaced while issue 13 is built.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['admin'])
  return null
}

export default function Page() {
  return null
}
