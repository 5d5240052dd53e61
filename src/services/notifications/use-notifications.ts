import { useQuery } from '../use-query'
import { notificationKeys } from './keys'
import { getNotifications } from './notifications-query'
import { getUnreadCount } from './unread-count-query'

/** The signed-in person's messages; pass null while nobody is signed in (nothing is fetched). */
export function useNotifications(userId: string | null) {
  return useQuery(notificationKeys.list(userId ?? ''), () => (userId ? getNotifications() : Promise.resolve([])))
}

/** How many messages are unread; 0 while nobody is signed in. */
export function useUnreadCount(userId: string | null) {
  return useQuery(notificationKeys.unread(userId ?? ''), () => (userId ? getUnreadCount() : Promise.resolve(0)))
}
