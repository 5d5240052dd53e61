import { createServiceRoleVerifier } from '../_shared/jwt.ts'
import { serviceRoleTokenStore } from '../_shared/supabase.ts'
import { createHandler } from './handler.ts'
import { queueWithServiceRole } from './queue.ts'

const env = (name: string) => Deno.env.get(name)
const now = () => Date.now()

Deno.serve(
  createHandler({
    env,
    fetch: (input, init) => fetch(input, init),
    now,
    verifyServiceRole: createServiceRoleVerifier(env('SUPABASE_URL') ?? '', env('SUPABASE_SERVICE_ROLE_KEY') ?? '', now),
    queue: queueWithServiceRole(env),
    tokenStore: serviceRoleTokenStore(env),
    log: (line) => console.error(`content-check: ${line}`),
  }),
)
