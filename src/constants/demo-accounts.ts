import type { AppRole } from './roles'

/**
 * The people of supabase/seed.sql that the local backend signs in with a `demo:<handle>` code. Shown on
 * the demo sign-in page, which exists only in builds with TARO_APP_DEMO_LOGIN=true.
 */
export interface DemoAccount {
  readonly handle: string
  readonly name: string
  readonly role: AppRole
  /** One line on what this person shows in the demo. */
  readonly note: string
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { handle: 'admin', name: '王主任', role: 'admin', note: '中心负责人，可以管理角色' },
  { handle: 'butler1', name: '李管家', role: 'butler', note: '值班创业管家' },
  { handle: 'butler2', name: '张管家', role: 'butler', note: '值班创业管家' },
  { handle: 'worker1', name: '刘建国', role: 'worker', note: '新用户，尚未完善资料' },
  { handle: 'worker2', name: '陈秀英', role: 'worker', note: '已完善资料' },
]
