import { serviceRoleClient } from '../_shared/supabase.ts'
import { createHandler } from './handler.ts'

const env = (name: string) => Deno.env.get(name)

// The verdict is the system's word: recorded with the service role (public.record_media_check).
let client: ReturnType<typeof serviceRoleClient> | null = null

Deno.serve(
  createHandler({
    env,
    now: () => Date.now(),
    async recordMediaCheck(traceId, suggest, label, detail) {
      client ??= serviceRoleClient(env)
      const { data, error } = await client.rpc('record_media_check', { trace_id: traceId, suggest, label, detail })
      if (error) throw new Error(`record_media_check: ${error.code} ${error.message}`)
      return data === true
    },
    log: (line) => console.error(`wechat-events: ${line}`),
  }),
)
