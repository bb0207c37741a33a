/**
 * The processes of a fan-out run: `tickwire-feed` (embedded or edge node) and
 * `tickwire-feed publish`, each in its own Node so each one's CPU can be read, and the CPU
 * time of any PID from /proc (Linux: utime + stime in clock ticks of 1/100 s).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** A started child with what it printed. */
export interface Child {
  name: string
  process: ChildProcess
  /** Resolves with the first stdout match of `pattern`. */
  match(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  stop(): Promise<void>
}

/** Runs `src/server/cli.ts` with `args` through tsx. */
export function runCli(name: string, args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let out = ''
  const waiters = new Set<() => void>()
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    for (const waiter of [...waiters]) waiter()
  })
  return {
    name,
    process: child,
    match(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`${name}: no ${pattern} in ${timeoutMs} ms; printed: ${out}`))
        }, timeoutMs)
        const check = () => {
          const found = pattern.exec(out)
          if (!found) return
          clearTimeout(timer)
          waiters.delete(check)
          resolve(found)
        }
        waiters.add(check)
        check()
      })
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        child.once('exit', () => {
          clearTimeout(timer)
          resolve()
        })
        child.kill('SIGTERM')
      })
    },
  }
}

/** CPU seconds (user + system) a process has used so far; NaN when it cannot be read. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN
  if (pid === process.pid) {
    const usage = process.cpuUsage()
    return (usage.user + usage.system) / 1e6
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}
