/**
 * Fixtures shared by the question-desk tests: two groups of their own (never the seeded ones, so the
 * seed can change without breaking these tests), the tables they change for snapshot and restore, and
 * small SQL helpers run as superuser.
 *
 *   group X (desk.groupX): butler1 and butler2 are butlers, worker1 and worker2 members
 *   group Y (desk.groupY): butler2 is the butler, nobody else
 * The access matrix (questions-access.test.ts) uses its own, narrower membership.
 */
import type { TestBackend } from './backend'

export const desk = {
  groupX: '20000000-0000-4000-8000-0000000000a1',
  groupY: '20000000-0000-4000-8000-0000000000a2',
} as const


export function groupsSql(members: { group: string; user: string; role: 'member' | 'butler' }[]): string {
  return `
    insert into public.groups (id, name, district, invite_code, response_target_minutes) values
      ('${desk.groupX}', '测试甲群', '四方区测试街道', 'TESTXA', 120),
      ('${desk.groupY}', '测试乙群', '市北区测试街道', 'TESTYB', 120);
    insert into public.group_members (group_id, user_id, role) values
      ${members.map((m) => `('${m.group}', '${m.user}', '${m.role}')`).join(',\n      ')};`
}

export async function one<T = Record<string, unknown>>(be: TestBackend, sql: string, params: unknown[] = []): Promise<T> {
  const r = await be.db.query(sql, params)
  return r.rows[0] as T
}

export async function count(be: TestBackend, sql: string, params: unknown[] = []): Promise<number> {
  const r = await be.db.query(`select count(*)::int as n from (${sql}) x`, params)
  return Number(r.rows[0]!.n)
}

/** The Chinese message and code a supabase-js error carries, for exact assertions. */
export function failure(res: { error: { code?: string; message: string } | null; status: number }) {
  return { status: res.status, code: res.error?.code ?? null, message: res.error?.message ?? null }
}
