import { createCallerVerifier } from '../_shared/jwt.ts'
import { serviceRoleTokenStore } from '../_shared/supabase.ts'
import { savePhoneWithServiceRole } from './contacts.ts'
import { createHandler } from './handler.ts'

const env = (name: string) => Deno.env.get(name)
const now = () => Date.now()

Deno.serve(
  createHandler({
    env,
    fetch: (input, init) => fetch(input, init),
    now,
    verifyCaller: createCallerVerifier(env('SUPABASE_URL') ?? '', now),
    savePhone: savePhoneWithServiceRole(env),
    tokenStore: serviceRoleTokenStore(env),
  }),
)
