/**
 * 审核队列: the applications the person may review (the members of their groups; every one for admins),
 * newest submitted first, a page at a time by submitted_at (application_review_queue). A filter of
 * several statuses (待审核 = 已提交 + 审核中) reads all and keeps those; one status is asked of the server.
 */
import { handleError } from '../errors'
import { useAppInfiniteQuery } from '../query/use-app-infinite-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { reviewKeys } from './keys'
import { filterStatuses, type ApplicationStatus, type QueueFilter } from './labels'

export const QUEUE_PAGE_SIZE = 20

export async function getReviewQueue(statuses: readonly ApplicationStatus[] | null, before: string | null, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('application_review_queue', {
    status_filter: statuses?.length === 1 ? statuses[0] : undefined,
    max_rows: QUEUE_PAGE_SIZE,
    before: before ?? undefined,
  })
  if (error) handleError(error, status)
  return data ?? []
}

export type QueueApplication = Awaited<ReturnType<typeof getReviewQueue>>[number]

/** A page of the queue under a filter, and where the next page starts (null after the last). */
export async function getQueuePage(filter: QueueFilter, cursor: string | null, client: AppSupabaseClient = getSupabase()) {
  const statuses = filterStatuses(filter)
  const rows = await getReviewQueue(statuses, cursor, client)
  const next = rows.length < QUEUE_PAGE_SIZE ? null : (rows[rows.length - 1]?.submitted_at ?? null)
  const shown = statuses && statuses.length > 1 ? rows.filter((row) => statuses.includes(row.status as ApplicationStatus)) : rows
  return { rows: shown, next }
}

export function useReviewQueue(filter: QueueFilter, enabled: boolean) {
  return useAppInfiniteQuery<{ rows: QueueApplication[]; next: string | null }, string>({
    key: reviewKeys.queue(filter),
    fetchPage: async (cursor) => [await getQueuePage(filter, cursor)],
    nextCursor: (page) => page[0]?.next ?? null,
    enabled,
  })
}
