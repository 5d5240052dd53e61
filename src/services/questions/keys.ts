/** Query keys of the question desk (the person is added in front of each, see services/query/person-key.ts). */
export const questionKeys = {
  all: ['questions'] as const,
  mine: () => [...questionKeys.all, 'mine'] as const,
  detail: (questionId: string) => [...questionKeys.all, 'detail', questionId] as const,
  suggestions: (groupId: string, text: string) => [...questionKeys.all, 'suggest', groupId, text] as const,
  queue: () => [...questionKeys.all, 'queue'] as const,
  summary: () => [...questionKeys.all, 'summary'] as const,
  canned: (groupId: string) => [...questionKeys.all, 'canned', groupId] as const,
  roster: (groupId: string) => [...questionKeys.all, 'roster', groupId] as const,
  faqs: (groupId: string) => [...questionKeys.all, 'faqs', groupId] as const,
}
