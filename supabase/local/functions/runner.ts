/**
 * /functions/v1/<name>: runs supabase/functions/<name>/index.ts on real Deno (the npm package `deno`).
 * One Deno process per function, started on first use and kept; a crashed one is started again.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'

// eslint-disable-next-line @typescript-eslint/no-require-imports
const denoBinary: string = require('deno/install_api.cjs').runInstall()

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
      '--allow-net',
      '--allow-env',
      '--allow-read',
      '--allow-sys',
      ...(existsSync(denoJson) ? ['--config', denoJson] : ['--no-config']),
      path.join(__dirname, 'host.ts'),
      pathToFileURL(path.join(fnDir, name, 'index.ts')).href,
    ]
    const child = spawn(denoBinary, args, {
      cwd: fnDir,
      // Only what a deployed function would have: no developer secrets leak in from this shell.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...(process.env.DENO_DIR ? { DENO_DIR: process.env.DENO_DIR } : {}),
        NO_COLOR: '1',
        ...secrets,
        ...this.opts.env(),
      },
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
        this.workers.delete(name)
        if (!ready) reject(new Error(`function ${name} exited with code ${code} before serving: ${stderr.trim().slice(-2000)}`))
      })
      child.on('error', reject)
    })
    const worker = { child, port }
    this.workers.set(name, worker)
    return worker
  }

  async invoke(name: string, req: { method: string; subpath: string; search: string; headers: Record<string, string>; body: Buffer | null }): Promise<Response> {
    const worker = this.workers.get(name) ?? this.start(name)
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
