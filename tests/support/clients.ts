/**
 * supabase-js clients for tests, as the app builds them: the real client against the local backend (or a
 * real Supabase project when SUPABASE_URL and keys are set), with a WebSocket transport because Node 20
 * has no global WebSocket.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import WebSocket from 'ws'
import type { Database } from '../../src/services/supabase/database.types'
import type { TestBackend } from './backend'

export type Client = SupabaseClient<Database>

export function clientFor(be: Pick<TestBackend, 'url' | 'anonKey'>, accessToken?: string | (() => Promise<string>)): Client {
  return createClient<Database>(be.url, be.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
    ...(accessToken ? { accessToken: typeof accessToken === 'string' ? async () => accessToken : accessToken } : {}),
  })
}

/** The seeded demo people (supabase/seed.sql). */
export const people = {
  admin: '00000000-0000-4000-8000-000000000001',
  butler1: '00000000-0000-4000-8000-000000000002',
  butler2: '00000000-0000-4000-8000-000000000003',
  worker1: '00000000-0000-4000-8000-000000000011',
  worker2: '00000000-0000-4000-8000-000000000012',
} as const

export async function clientAs(be: TestBackend, person: keyof typeof people): Promise<Client> {
  return clientFor(be, await be.signToken({ sub: people[person] }))
}

export function serviceClient(be: TestBackend): Client {
  return clientFor(be, be.serviceRoleKey)
}
