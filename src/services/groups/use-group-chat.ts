/**
 * The group page's data: the newest page of messages, then, while the page is shown and the app in
 * front, only what changed since the last revision seen, every few seconds (stopped when the page is
 * hidden or the app goes to the background); older pages on demand (pull to the top); and the read
 * state sent to the server so the unread count on the 创业群 tab (and on every other device) drops.
 *
 * The state lives in the query cache under the group's key, so leaving and coming back shows the list at
 * once and fetches only the difference.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { useDidHide, useDidShow } from '@tarojs/taro'
import { focusManager } from '@tanstack/react-query'
import { toAppError, type AppError } from '../errors'
import { getQueryData, setQueryData } from '../query/cache'
import { useAppQuery } from '../query/use-app-query'
import { applyChanges, applyOlder, firstPage } from './chat-state'
import type { ChatState } from './chat-types'
import { groupKeys } from './keys'
import { chatApi, type ChatApi } from './messages-api'
import type { MyGroup } from './my-groups-query'
import { createPoller } from './poller'
import { oldestCursor } from './timeline'

/** Rows per page (the newest page, and each older page). */
export const CHAT_PAGE_SIZE = 30
/** How often a shown group page asks what is new. */
export const CHAT_POLL_MS = 3_000

export interface GroupChat {
  query: ReturnType<typeof useAppQuery<ChatState>>
  /** Loads the page before the oldest row shown; resolves false when there is nothing older. */
  loadOlder: () => Promise<boolean>
  loadingOlder: boolean
  olderError: AppError | null
  /** Asks for what is new now (after a send, on pull-down). */
  refresh: () => Promise<void>
}

export function useGroupChat(groupId: string | null, userId: string | null, api: ChatApi = chatApi): GroupChat {
  const key = groupKeys.messages(groupId ?? '')
  const enabled = groupId !== null && userId !== null
  const query = useAppQuery<ChatState>({
    key,
    enabled,
    // Every show fetches, but only the difference (the fetcher starts from what is cached).
    staleTime: 0,
    fetcher: async () => {
      const before = getQueryData<ChatState>(key)
      if (!before) return firstPage(await api.latest(groupId!, CHAT_PAGE_SIZE), CHAT_PAGE_SIZE)
      const changed = await api.changedSince(groupId!, before.rev)
      // Start from the cache as it is now: a send may have landed while this request was out.
      return applyChanges(getQueryData<ChatState>(key) ?? before, changed)
    },
  })

  const refetch = useRef(query.refetch)
  refetch.current = query.refetch

  // Poll while the page is shown and the app is in front.
  const [visible, setVisible] = useState(true)
  useDidShow(() => setVisible(true))
  useDidHide(() => setVisible(false))
  const [appFocused, setAppFocused] = useState(() => focusManager.isFocused())
  useEffect(() => focusManager.subscribe((focused) => setAppFocused(focused)), [])
  const hasData = query.data !== undefined
  useEffect(() => {
    if (!enabled || !visible || !appFocused || !hasData) return
    const poller = createPoller({ run: () => refetch.current(), intervalMs: CHAT_POLL_MS })
    poller.start()
    return () => poller.stop()
  }, [enabled, visible, appFocused, hasData])

  // Tell the server what has been seen (only ever upwards), and clear the tab's count at once.
  const markedRev = useRef(0)
  const rev = query.data?.rev ?? 0
  useEffect(() => {
    if (!enabled || !visible || rev <= markedRev.current) return
    markedRev.current = rev
    const mine = getQueryData<MyGroup[]>(groupKeys.mine())
    if (mine) setQueryData(groupKeys.mine(), mine.map((group) => (group.group_id === groupId ? { ...group, unread_count: 0 } : group)))
    api.markRead(groupId!, rev).catch(() => {
      // Read state is not worth an error message; the next change tries again.
      markedRev.current = 0
    })
  }, [enabled, visible, rev, groupId, api])

  const [loadingOlder, setLoadingOlder] = useState(false)
  const [olderError, setOlderError] = useState<AppError | null>(null)
  const loadingRef = useRef(false)
  const loadOlder = useCallback(async () => {
    const state = getQueryData<ChatState>(key)
    const cursor = state ? oldestCursor(state.rows) : null
    if (!state || !cursor || !state.hasOlder || loadingRef.current) return false
    loadingRef.current = true
    setLoadingOlder(true)
    setOlderError(null)
    try {
      const older = await api.older(groupId!, cursor, CHAT_PAGE_SIZE)
      setQueryData(key, applyOlder(getQueryData<ChatState>(key) ?? state, older, CHAT_PAGE_SIZE))
      return older.length > 0
    } catch (error) {
      setOlderError(toAppError(error))
      return false
    } finally {
      loadingRef.current = false
      setLoadingOlder(false)
    }
    // The key is derived from groupId.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [groupId, api])

  const refresh = useCallback(() => refetch.current(), [])

  return { query, loadOlder, loadingOlder, olderError, refresh }
}
