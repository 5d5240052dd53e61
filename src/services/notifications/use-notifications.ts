import { useAppQuery } from '../query/use-app-query'
import { notificationKeys } from './keys'
import { getNotifications } from './notifications-query'
import { getUnreadCount } from './unread-count-query'

/** The signed-in person's messages; pass null while nobody is signed in (nothing is fetched). */
export function useNotifications(userId: string | null) {
  return useAppQuery({ key: notificationKeys.list(), fetcher: () => getNotifications(), enabled: userId !== null })
}

/** How many messages are unread; nothing is fetched while nobody is signed in. */
export function useUnreadCount(userId: string | null) {
  return useAppQuery({ key: notificationKeys.unread(), fetcher: () => getUnreadCount(), enabled: userId !== null })
}
