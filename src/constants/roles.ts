import type { Database } from '../services/supabase/database.types'

export type AppRole = Database['public']['Enums']['app_role']

/** How each role is called in the interface. */
export const ROLE_LABELS: Record<AppRole, string> = {
  worker: '职工',
  butler: '创业管家',
  admin: '管理员',
}

/** The order roles are offered in, from least to most rights. */
export const ROLE_ORDER: readonly AppRole[] = ['worker', 'butler', 'admin']
