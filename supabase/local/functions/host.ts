// Runs one edge function as Supabase's edge runtime does: the function's own `Deno.serve(handler)` is
// captured and bound to a free loopback port, which is reported to the local backend on stdout.
// Usage: deno run <permissions> host.ts <file URL of the function's index.ts>

const entry = Deno.args[0]
const realServe = Deno.serve.bind(Deno)

type Handler = (req: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>

// deno-lint-ignore no-explicit-any
;(Deno as any).serve = (...args: any[]) => {
  const handler: Handler | undefined =
    typeof args[0] === 'function' ? args[0] : typeof args[1] === 'function' ? args[1] : args[0]?.handler
  if (!handler) throw new Error('Deno.serve was called without a handler')
  return realServe(
    {
      hostname: '127.0.0.1',
      port: 0,
      onListen: ({ port }) => console.log(JSON.stringify({ listening: port })),
    },
    handler,
  )
}

await import(entry)
