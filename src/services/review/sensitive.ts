/**
 * 查看: the full resident ID and bank account of an application, asked of application_sensitive. For a
 * butler or an admin the database records every such look (application_reveals, which admins read), so
 * the page says so before asking; the values live only in the page's memory, never in the cache or in
 * storage.
 */
import { handleError } from '../errors'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'

export interface SensitiveValues {
  resident_id: string | null
  bank_account: string | null
}

export async function revealSensitive(applicationId: string, client: AppSupabaseClient = getSupabase()): Promise<SensitiveValues> {
  const { data, error, status } = await client.rpc('application_sensitive', { application_id: applicationId })
  if (error) handleError(error, status)
  const row = (Array.isArray(data) ? data[0] : data) as SensitiveValues | undefined
  return { resident_id: row?.resident_id ?? null, bank_account: row?.bank_account ?? null }
}

/** What the butler is told before the first 查看 on a page. */
export const REVEAL_NOTICE = '查看完整信息会被记录（查看人、时间），管理员可以查阅。仅在核对材料需要时查看。'
