/** 撤回: the sender takes a message back within 2 minutes; the server checks both, and the list shows the notice at once. */
import { getQueryData, setQueryData } from '../query/cache'
import { useAppMutation } from '../query/use-app-mutation'
import { applySent } from './chat-state'
import type { ChatState } from './chat-types'
import { groupKeys } from './keys'
import { chatApi } from './messages-api'

export function useWithdrawMutation(groupId: string) {
  return useAppMutation({
    mutate: (messageId: string) => chatApi.withdraw(messageId),
    onSuccess: (row) => {
      const key = groupKeys.messages(groupId)
      const state = getQueryData<ChatState>(key)
      if (state) setQueryData(key, applySent(state, row))
    },
  })
}
