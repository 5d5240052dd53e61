import { createCallerVerifier } from '../_shared/jwt.ts'
import { createHandler } from './handler.ts'
import { exportAsCaller } from './rest.ts'
import { writeRoster } from './xlsx.ts'

const env = (name: string) => Deno.env.get(name)

Deno.serve(
  createHandler({
    verifyCaller: createCallerVerifier(env('SUPABASE_URL') ?? '', () => Date.now()),
    loadExport: exportAsCaller(env, (input, init) => fetch(input, init)),
    writeWorkbook: writeRoster,
  }),
)
