/**
 * Reads the payload of our access token without verifying it (the server does that): the client only
 * needs `sub`, the user id, to know whose profile to load after a restart. No atob in the mini-program,
 * so base64url is decoded by hand.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

function base64UrlToText(input: string): string {
  let bits = 0
  let value = 0
  let escaped = ''
  for (const char of input.replace(/=+$/, '')) {
    const index = ALPHABET.indexOf(char === '+' ? '-' : char === '/' ? '_' : char)
    if (index < 0) throw new Error('not base64url')
    value = (value << 6) | index
    bits += 6
    if (bits >= 8) {
      bits -= 8
      escaped += `%${((value >> bits) & 0xff).toString(16).padStart(2, '0')}`
    }
  }
  // Percent-escaped bytes → UTF-8 text.
  return decodeURIComponent(escaped)
}

/** The `sub` claim of a JWT, or null when the token is not a JWT with a string subject. */
export function jwtSubject(token: string): string | null {
  const parts = token.split('.')
  if (parts.length !== 3) return null
  try {
    const payload: unknown = JSON.parse(base64UrlToText(parts[1]))
    const sub = typeof payload === 'object' && payload !== null ? (payload as { sub?: unknown }).sub : undefined
    return typeof sub === 'string' && sub !== '' ? sub : null
  } catch {
    return null
  }
}
