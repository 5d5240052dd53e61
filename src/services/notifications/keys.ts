/** Query keys of the message centre: the signed-in person's notifications (the person is in every key, see services/query/person-key.ts). */
export const notificationKeys = {
  all: ['notifications'] as const,
  list: () => [...notificationKeys.all, 'list'] as const,
  unread: () => [...notificationKeys.all, 'unread'] as const,
}
