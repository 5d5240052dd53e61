/**
 * Demo sign-in codes (`demo:<handle>`), in a module without Deno or npm imports so tests can read the
 * handles. Only the local backend turns demo sign-in on (ALLOW_DEMO_LOGIN=true).
 */
export const DEMO_PREFIX = 'demo:'
export const DEMO_CODE = /^demo:[a-z0-9_-]{1,32}$/

/** The handles of supabase/seed.sql's people (src/constants/demo-accounts.ts lists them for the picker). */
export const DEMO_HANDLES: readonly string[] = ['admin', 'butler1', 'butler2', 'worker1', 'worker2']

/** Whether a demo code names one of the seeded people (whose account may be created afresh after 注销). */
export function isSeededDemoCode(code: string): boolean {
  return DEMO_CODE.test(code) && DEMO_HANDLES.includes(code.slice(DEMO_PREFIX.length))
}
