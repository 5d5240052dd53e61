import { createCallerVerifier } from '../_shared/jwt.ts'
import { createHandler } from './handler.ts'
import { storageAsCaller } from './storage.ts'
import { recordVerdictWithServiceRole } from './verdicts.ts'

const env = (name: string) => Deno.env.get(name)

Deno.serve(
  createHandler({
    verifyCaller: createCallerVerifier(env('SUPABASE_URL') ?? '', () => Date.now()),
    ...storageAsCaller(env, (input, init) => fetch(input, init)),
    recordVerdict: recordVerdictWithServiceRole(env),
  }),
)
