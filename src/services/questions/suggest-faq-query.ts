/**
 * 类似问题 while someone types a question: the group's FAQ entries and answered questions sharing
 * two-character pieces with the text (补贴 finds 一次性创业补贴), best first, at most 5. Asked only once the
 * text has settled for a moment and has at least two characters.
 */
import { useEffect, useState } from 'react'
import { handleError } from '../errors'
import { useAppQuery } from '../query/use-app-query'
import { getSupabase, type AppSupabaseClient } from '../supabase/client'
import { questionKeys } from './keys'

export async function suggestFaq(groupId: string, text: string, client: AppSupabaseClient = getSupabase()) {
  const { data, error, status } = await client.rpc('suggest_faq', { group_id: groupId, q: text })
  if (error) handleError(error, status)
  return data ?? []
}

export type Suggestion = Awaited<ReturnType<typeof suggestFaq>>[number]

/** How long the text must stay unchanged before suggestions are asked for. */
export const SUGGEST_DEBOUNCE_MS = 400
/** Fewer characters than this find too much to help. */
export const SUGGEST_MIN_LENGTH = 2

/** The text once it has not changed for `ms`. */
export function useSettled(text: string, ms: number): string {
  const [settled, setSettled] = useState(text)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text), ms)
    return () => clearTimeout(timer)
  }, [text, ms])
  return settled
}

export function useSuggestions(groupId: string | null, text: string) {
  const settled = useSettled(text.trim().slice(0, 200), SUGGEST_DEBOUNCE_MS)
  return useAppQuery({
    key: questionKeys.suggestions(groupId ?? '', settled),
    fetcher: () => suggestFaq(groupId!, settled),
    enabled: groupId !== null && settled.length >= SUGGEST_MIN_LENGTH,
  })
}
