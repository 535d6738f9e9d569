import { createContext, useContext } from 'react'

/** The per-request CSP nonce for inline scripts Remix renders (empty in the browser). */
export const NonceContext = createContext('')
export const useNonce = () => useContext(NonceContext)
