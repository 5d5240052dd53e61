/** Query keys of the storage domain (the person is in every key, see services/query/person-key.ts). */
export const storageKeys = {
  all: ['storage'] as const,
  signed: (bucket: string, paths: readonly string[]) => [...storageKeys.all, 'signed', bucket, ...paths] as const,
}
