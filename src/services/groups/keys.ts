/** Query keys of the groups domain (the person is added in front of each, see services/query/person-key.ts). */
export const groupKeys = {
  all: ['groups'] as const,
  mine: () => [...groupKeys.all, 'mine'] as const,
  discover: (query: string) => [...groupKeys.all, 'discover', query] as const,
  detail: (groupId: string) => [...groupKeys.all, 'detail', groupId] as const,
  messages: (groupId: string) => [...groupKeys.all, 'messages', groupId] as const,
  members: (groupId: string) => [...groupKeys.all, 'members', groupId] as const,
  joinRequests: (groupId: string) => [...groupKeys.all, 'join-requests', groupId] as const,
  flagged: (groupId: string) => [...groupKeys.all, 'flagged', groupId] as const,
  mediaUrl: (bucket: string, path: string) => [...groupKeys.all, 'media', bucket, path] as const,
}
