/** Query keys of the profile domain (the signed-in person's own data). */
export const profileKeys = {
  all: ['profile'] as const,
  own: (userId: string) => [...profileKeys.all, 'own', userId] as const,
  phone: (userId: string) => [...profileKeys.all, 'phone', userId] as const,
}
