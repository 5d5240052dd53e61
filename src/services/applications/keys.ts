/** Query keys of subsidy applications (the person is added in front of each, see services/query/person-key.ts). */
export const applicationKeys = {
  all: ['applications'] as const,
  programmes: () => [...applicationKeys.all, 'programmes'] as const,
  programme: (programmeId: string) => [...applicationKeys.all, 'programme', programmeId] as const,
  mine: () => [...applicationKeys.all, 'mine'] as const,
  detail: (applicationId: string) => [...applicationKeys.all, 'detail', applicationId] as const,
  sensitive: (applicationId: string) => [...applicationKeys.all, 'sensitive', applicationId] as const,
  liveFor: (programmeId: string) => [...applicationKeys.all, 'live-for', programmeId] as const,
  publicityBatches: () => [...applicationKeys.all, 'publicity'] as const,
  publicityList: (batchId: string) => [...applicationKeys.all, 'publicity', batchId] as const,
}
