/** Query keys of the profile domain: the signed-in person's own data (the person is in every key, see services/query/person-key.ts). */
export const profileKeys = {
  all: ['profile'] as const,
  own: () => [...profileKeys.all, 'own'] as const,
  phone: () => [...profileKeys.all, 'phone'] as const,
}
