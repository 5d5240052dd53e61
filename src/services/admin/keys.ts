/** Query keys of the admin tools (under the signed-in person, see services/query/person-key.ts). */
export const adminKeys = {
  all: ['admin'] as const,
  people: () => [...adminKeys.all, 'people'] as const,
}
