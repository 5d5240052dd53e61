/**
 * /functions/v1/<name>: runs supabase/functions/<name>/index.ts on real Deno (the npm package `deno`).
 * One Deno process per function, started on first use and kept; a crashed one is started again.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { denoBinary, denoDir, denoEnv, hostEntry } from './deno'

/** A function that could not start: the gateway answers 503 with a Chinese message; details stay in the log. */
export class FunctionStartError extends Error {
  constructor(
    readonly functionName: string,
    readonly details: string,
  ) {
    super(`function ${functionName} could not start`)
  }
}

export interface FunctionsOptions {
  functionsDir: string
  /** Variables every function gets, as on Supabase: SUPABASE_URL, SUPABASE_ANON_KEY, SUPABASE_SERVICE_ROLE_KEY. */
  env: () => Record<string, string>
  /** Secrets file (KEY=value lines); supabase/functions/.env locally. */
  envFile?: string
  log?: (line: string) => void
}

interface Worker {
  child: ChildProcess
  port: Promise<number>
}

export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line)
    if (!m || line.trim().startsWith('#')) continue
    let v = m[2]
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) v = v.slice(1, -1)
    out[m[1]] = v
  }
  return out
}

export class FunctionsRunner {
  private workers = new Map<string, Worker>()
  constructor(private readonly opts: FunctionsOptions) {}

  has(name: string) {
    return /^[a-z0-9][a-z0-9_-]*$/i.test(name) && existsSync(path.join(this.opts.functionsDir, name, 'index.ts'))
  }

  private start(name: string): Worker {
    const fnDir = this.opts.functionsDir
    const secrets = this.opts.envFile && existsSync(this.opts.envFile) ? parseEnvFile(readFileSync(this.opts.envFile, 'utf8')) : {}
    const denoJson = path.join(fnDir, 'deno.json')
    const args = [
      'run',
      '--quiet',
      '--no-prompt',
      // Packages come from the cache the install step filled, never from the network at run time.
      '--cached-only',
      '--allow-net',
      '--allow-env',
      '--allow-read',
      '--allow-sys',
      ...(existsSync(denoJson) ? ['--config', denoJson] : ['--no-config']),
      hostEntry,
      pathToFileURL(path.join(fnDir, name, 'index.ts')).href,
    ]
    const child = spawn(denoBinary, args, {
      cwd: fnDir,
      // Only what a deployed function would have, plus the network-trust and proxy settings: no developer
      // secrets leak in from this shell.
      env: denoEnv({ ...secrets, ...this.opts.env() }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const log = this.opts.log ?? (() => undefined)
    const port = new Promise<number>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! })
      let ready = false
      lines.on('line', (line) => {
        if (!ready) {
          try {
            const msg = JSON.parse(line) as { listening?: number }
            if (msg.listening) {
              ready = true
              resolve(msg.listening)
              return
            }
          } catch {
            /* an ordinary log line */
          }
        }
        log(`[${name}] ${line}`)
      })
      let stderr = ''
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString()
        log(`[${name}] ${d.toString().trimEnd()}`)
      })
      child.on('exit', (code) => {
        // Only this process's entry: a new one may already serve the name.
        if (this.workers.get(name)?.child === child) this.workers.delete(name)
        if (!ready) {
          const details = stderr.trim().slice(-2000)
          // One line that says what to do; the whole Deno error stays in this log, never in an answer.
          const missing = /cached-only|not found in cache|npm package .* is not cached|Could not find npm package/i.test(details)
          log(
            missing
              ? `✖ function ${name} cannot start: its packages are not in ${denoDir()}. Run \`npm ci\` (or \`npm run install:functions\`).`
              : `✖ function ${name} exited with code ${code} before serving`,
          )
          reject(new FunctionStartError(name, details))
        }
      })
      child.on('error', (e) => reject(new FunctionStartError(name, String(e))))
    })
    const worker = { child, port }
    this.workers.set(name, worker)
    return worker
  }

  async invoke(name: string, req: { method: string; subpath: string; search: string; headers: Record<string, string>; body: Buffer | null }): Promise<Response> {
    const worker = this.workers.get(name) ?? this.start(name)
    try {
      return await this.call(worker, name, req)
    } catch (e) {
      // A process that died after its last answer may not have been noticed yet (its exit event comes
      // later): its port refuses the connection, so the request never reached it and is safe to send
      // to a new process, once. Anything else (a reset mid-request) is not retried.
      if ((e as { cause?: { code?: string } }).cause?.code !== 'ECONNREFUSED') throw e
      if (this.workers.get(name) === worker) this.workers.delete(name)
      worker.child.kill('SIGKILL')
      return this.call(this.workers.get(name) ?? this.start(name), name, req)
    }
  }

  private async call(worker: Worker, name: string, req: { method: string; subpath: string; search: string; headers: Record<string, string>; body: Buffer | null }): Promise<Response> {
    const port = await worker.port
    return fetch(`http://127.0.0.1:${port}/${name}${req.subpath}${req.search}`, {
      method: req.method,
      // Hop-by-hop headers belong to the incoming connection, not to the call we make to Deno.
      headers: Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'].includes(k.toLowerCase())),
      ),
      body: req.body && req.method !== 'GET' && req.method !== 'HEAD' ? new Uint8Array(req.body) : undefined,
      redirect: 'manual',
    })
  }

  async close() {
    const all = [...this.workers.values()]
    this.workers.clear()
    await Promise.all(
      all.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null) return resolve()
            w.child.once('exit', () => resolve())
            w.child.kill('SIGTERM')
          }),
      ),
    )
  }
}
