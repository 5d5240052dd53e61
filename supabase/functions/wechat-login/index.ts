import { createHandler } from './handler.ts'
import { signInWithServiceRole } from './sign-in.ts'

const env = (name: string) => Deno.env.get(name)

Deno.serve(
  createHandler({
    env,
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    signIn: signInWithServiceRole(env),
  }),
)
