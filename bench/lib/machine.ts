/** What the figures were measured on: printed with each table and stored with the results. */
import { readFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'

export interface MachineInfo {
  date: string
  node: string
  nproc: number
  cpuModel: string
  memGiB: number
  /** 1-minute load average at the start: above nproc means others were using the CPUs. */
  loadAvg1: number
}

/** The CPU model from /proc/cpuinfo, falling back to what Node reports. */
function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))
    if (match?.[1]) return match[1].trim()
  } catch {
    // Not Linux: Node's own report is good enough.
  }
  return cpus()[0]?.model ?? 'unknown'
}

export function machineInfo(): MachineInfo {
  return {
    date: new Date().toISOString(),
    node: process.version,
    nproc: cpus().length,
    cpuModel: cpuModel(),
    memGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAvg1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  }
}

export function describeMachine(m: MachineInfo): string {
  return `${m.date} · ${m.cpuModel} · nproc ${m.nproc} · ${m.memGiB} GiB · node ${m.node} · load ${m.loadAvg1}`
}
