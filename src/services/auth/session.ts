/**
 * The signed-in person's access token, held in memory only. Sign-in (Taro.login → the wechat-login edge
 * function → a JWT) arrives in a later issue and stores its token here; until then every request goes
 * out with the anon key, which is what supabase-js sends when this returns null.
 */
let accessToken: string | null = null

export function getAccessToken(): string | null {
  return accessToken
}

export function setAccessToken(token: string | null): void {
  accessToken = token
}
