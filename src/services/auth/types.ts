import type { AppRole } from '../../constants/roles'

/** Who is signed in, as pages need it. The app role decides what the interface offers, never what is allowed. */
export interface SessionUser {
  id: string
  role: AppRole
  display_name: string
  onboarded: boolean
}

/** The 200 answer of the wechat-login edge function. */
export interface LoginResult {
  access_token: string
  /** Unix seconds. */
  expires_at: number
  user: SessionUser
}
