/** Messages of a group the content check hid from its members, for the group's butlers (群管理). */
import { useAppQuery } from '../query/use-app-query'
import { groupKeys } from './keys'
import { chatApi, type ChatApi } from './messages-api'

export function useFlaggedMessages(groupId: string | null, enabled: boolean, api: ChatApi = chatApi) {
  return useAppQuery({ key: groupKeys.flagged(groupId ?? ''), fetcher: () => api.flagged(groupId!), enabled: enabled && groupId !== null })
}
