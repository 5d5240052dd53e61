/** Query keys of the reviewers' side of applications (the person is added in front of each, see services/query/person-key.ts). */
export const reviewKeys = {
  all: ['review'] as const,
  queue: (status: string) => [...reviewKeys.all, 'queue', status] as const,
  application: (applicationId: string) => [...reviewKeys.all, 'application', applicationId] as const,
  batches: () => [...reviewKeys.all, 'batches'] as const,
  batch: (batchId: string) => [...reviewKeys.all, 'batch', batchId] as const,
  visits: () => [...reviewKeys.all, 'visits'] as const,
  visit: (visitId: string) => [...reviewKeys.all, 'visit', visitId] as const,
  programmes: () => [...reviewKeys.all, 'programmes'] as const,
}
