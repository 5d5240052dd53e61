/**
 * The app's one outbox of chat messages (outbox.ts) wired to the server: ids from the device's secure
 * random source, sends through messages-api.ts (images and voice uploaded first, to the same object on
 * every retry), and a sent message put straight into its group's list.
 */
import { useSyncExternalStore } from 'react'
import { getQueryData, setQueryData } from '../query/cache'
import { newSecureUuid } from '../platform/secure-random'
import { applySent } from './chat-state'
import type { ChatMessage, ChatState } from './chat-types'
import { groupKeys } from './keys'
import { chatApi } from './messages-api'
import { Outbox, type OutboxEntry } from './outbox'

export const chatOutbox = new Outbox<ChatMessage>({
  newId: newSecureUuid,
  send: (entry) => chatApi.send(entry),
  onSent: (entry, row) => {
    const key = groupKeys.messages(entry.groupId)
    const state = getQueryData<ChatState>(key)
    // No list cached (the page was closed meanwhile): it loads the row with the rest when opened.
    if (state) setQueryData(key, applySent(state, row))
  },
})

const subscribe = (listener: () => void) => chatOutbox.subscribe(listener)
const snapshot = () => chatOutbox.all()

/** The signed-in person's unsent messages in one group (sending, or failed and waiting for 重发). */
export function useOutbox(groupId: string | null, userId: string | null): readonly OutboxEntry[] {
  const all = useSyncExternalStore(subscribe, snapshot, snapshot)
  return all.filter((entry) => entry.groupId === groupId && entry.sender_id === userId)
}
