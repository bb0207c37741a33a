import type { PriceTick } from '../types'

/**
 * `StreamState.prices` as a versioned record: one `Map` per store holds the latest tick of every
 * symbol, and each store write makes a new read-only view (a `Proxy`) of it. A write costs what
 * it changes, not what is held: it updates the map in place and keeps, for the version it
 * replaces, the previous values of the changed symbols only (an undo log). A view taken from an
 * older state reads through those logs, so it keeps showing the values of its own version.
 *
 * Memory stays bounded however long an old view is kept: each version points to the next one,
 * and once the logs written since the last checkpoint hold as many entries as twice the held
 * symbols, the write seals a checkpoint (a full copy, amortised over those writes) where the
 * chain is cut, so an old view keeps at most that much alive.
 */

/** A read-only record of ticks by symbol, as `StreamState.prices` holds it. */
export type PriceRecord = Readonly<Record<string, PriceTick>>

/** Module-private key by which the writer finds the version behind a view. */
const VERSION = Symbol('tickwire.prices.version')

/** An old view read through more logs than this is copied once, then read from its copy. */
const MAX_WALK = 32
/** Checkpoints wait for at least this many logged entries, so small records copy rarely. */
const MIN_CHECKPOINT = 1024

interface Ledger {
  /** The newest values: the head version's contents, changed in place by each write. */
  current: Map<string, PriceTick>
  head: Version
  /** Entries logged since the last checkpoint. */
  logged: number
}

interface Version {
  readonly ledger: Ledger
  readonly id: number
  /** The values this version had for the symbols the next write changed (`undefined`: absent). */
  undo: Map<string, PriceTick | undefined> | null
  /** The next version; null for the head, and cut at a checkpoint or once materialised. */
  next: Version | null
  /** This version's full contents, once copied (checkpoint or a long read). */
  snapshot: Map<string, PriceTick> | null
  /** Its keys in property order, once asked for. */
  keys: string[] | null
}

/**
 * Counts the entries copied by the O(held) paths (converting a plain object, checkpoints,
 * materialising an old view). Tests read it to show that a write copies nothing it did not
 * change; the bench does not need it.
 * @internal
 */
export const priceRecordWork = { copied: 0 }

function newVersion(ledger: Ledger, id: number): Version {
  return { ledger, id, undo: null, next: null, snapshot: null, keys: null }
}

/** Reads one symbol as `version` has it. */
function read(version: Version, key: string): PriceTick | undefined {
  let at = version
  for (let steps = 0; ; steps++) {
    if (at.snapshot) return at.snapshot.get(key)
    if (at === at.ledger.head) return at.ledger.current.get(key)
    if (steps === MAX_WALK) return materialise(version).get(key)
    // A version that is neither the head nor a copy has a log and a successor.
    const undo = at.undo as Map<string, PriceTick | undefined>
    if (undo.has(key)) return undo.get(key)
    at = at.next as Version
  }
}

/** This version's full contents, copied once from the newest values and the logs since. */
function materialise(version: Version): Map<string, PriceTick> {
  if (version.snapshot) return version.snapshot
  if (version === version.ledger.head) return version.ledger.current
  const older = new Map<string, PriceTick | undefined>()
  let at = version
  while (!at.snapshot && at !== at.ledger.head) {
    for (const [key, value] of at.undo as Map<string, PriceTick | undefined>)
      if (!older.has(key)) older.set(key, value)
    at = at.next as Version
  }
  const base = at.snapshot ?? at.ledger.current
  const copy = new Map<string, PriceTick>()
  for (const [key, value] of base) {
    const old = older.has(key) ? older.get(key) : value
    if (old !== undefined) copy.set(key, old)
  }
  for (const [key, old] of older) if (old !== undefined && !base.has(key)) copy.set(key, old)
  priceRecordWork.copied += copy.size
  version.snapshot = copy
  // Nothing newer is needed to read this version any more: let it go.
  version.next = null
  return copy
}

/** Array-index keys come first in ascending order, as on a plain object; then insertion order. */
function orderedKeys(map: ReadonlyMap<string, unknown>): string[] {
  const indices: string[] = []
  const rest: string[] = []
  for (const key of map.keys()) (isIndex(key) ? indices : rest).push(key)
  if (indices.length === 0) return rest
  indices.sort((a, b) => Number(a) - Number(b))
  return indices.concat(rest)
}

function isIndex(key: string): boolean {
  const first = key.charCodeAt(0)
  return first >= 48 && first <= 57 && /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295
}

function keysOf(version: Version): string[] {
  return (version.keys ??= orderedKeys(materialise(version)))
}

function readOnly(): never {
  throw new TypeError(
    'tickwire: state.prices is read-only (a view of the store). Copy it ({ ...state.prices }) to change a copy; the manager is the only writer of the store.',
  )
}

/** The traps of one view: reads go to its version, writes throw. */
class ViewHandler implements ProxyHandler<PriceRecord> {
  constructor(private readonly version: Version) {}
  get(target: PriceRecord, key: string | symbol, receiver: unknown): unknown {
    if (typeof key === 'string') {
      const tick = read(this.version, key)
      if (tick !== undefined) return tick
    } else if (key === VERSION) return this.version
    // Object.prototype's members, as on a plain object (`toString`, `hasOwnProperty`).
    return Reflect.get(target, key, receiver)
  }
  has(target: PriceRecord, key: string | symbol): boolean {
    if (typeof key === 'string' && read(this.version, key) !== undefined) return true
    return key !== VERSION && Reflect.has(target, key)
  }
  ownKeys(): string[] {
    return keysOf(this.version)
  }
  getOwnPropertyDescriptor(_: PriceRecord, key: string | symbol): PropertyDescriptor | undefined {
    const tick = typeof key === 'string' ? read(this.version, key) : undefined
    return tick === undefined
      ? undefined
      : { value: tick, writable: false, enumerable: true, configurable: true }
  }
  set = readOnly
  defineProperty = readOnly
  deleteProperty = readOnly
  setPrototypeOf = readOnly
  preventExtensions = readOnly
}

function viewOf(version: Version): PriceRecord {
  // The target stays an empty plain object: its prototype is what `Object.getPrototypeOf` and
  // `in` report for names that are not symbols held, exactly as for a plain record.
  return new Proxy<PriceRecord>({}, new ViewHandler(version))
}

function versionOf(record: PriceRecord): Version | undefined {
  return (record as { [VERSION]?: Version })[VERSION]
}

/** A new ledger over `current`; returns its first version. */
function newLedger(current: Map<string, PriceTick>): Version {
  const ledger = { current, logged: 0 } as Ledger
  ledger.head = newVersion(ledger, 0)
  return ledger.head
}

/** A fresh ledger holding `entries`' own enumerable entries (O(entries), a conversion). */
function ledgerFrom(entries: PriceRecord): Version {
  const known = versionOf(entries)
  const current = known
    ? new Map(materialise(known))
    : new Map(Object.keys(entries).map((key) => [key, entries[key] as PriceTick]))
  priceRecordWork.copied += current.size
  return newLedger(current)
}

/** An empty price record: the store's initial `prices`. */
export function emptyPriceRecord(): PriceRecord {
  return viewOf(newLedger(new Map()))
}

/**
 * `base` with `changes` applied (`null` removes a symbol), as a new view; `base` itself when
 * nothing changes. O(changes) when `base` is the newest view of its record, which is what the
 * store holds between writes; any other base (a plain object set with `setState`, an older
 * view written back) is copied once into a record of its own first. `base` keeps its values.
 */
export function writePrices(
  base: PriceRecord,
  changes: Readonly<Record<string, PriceTick | null>>,
): PriceRecord {
  let head = versionOf(base)
  if (!head || head !== head.ledger.head) head = ledgerFrom(base)
  const ledger = head.ledger
  const current = ledger.current
  let undo: Map<string, PriceTick | undefined> | null = null
  for (const key in changes) {
    const value = changes[key]
    const old = current.get(key)
    if (value === null || value === undefined) {
      if (old === undefined) continue
      current.delete(key)
    } else {
      if (old === value) continue
      current.set(key, value)
    }
    ;(undo ??= new Map()).set(key, old)
  }
  if (undo === null) return base
  const next = newVersion(ledger, head.id + 1)
  head.undo = undo
  ledger.logged += undo.size
  if (ledger.logged >= 2 * current.size + MIN_CHECKPOINT) seal(head, undo)
  else head.next = next
  ledger.head = next
  return viewOf(next)
}

/**
 * Gives the version just replaced its own full copy and cuts the chain there: views older than
 * it stop reading at it, so they keep nothing newer alive. Its log stays, for `changedPrices`.
 */
function seal(version: Version, undo: Map<string, PriceTick | undefined>): void {
  const copy = new Map(version.ledger.current)
  for (const [key, old] of undo) {
    if (old === undefined) copy.delete(key)
    else copy.set(key, old)
  }
  priceRecordWork.copied += copy.size
  version.snapshot = copy
  version.ledger.logged = 0
}

/**
 * The symbols whose tick differs (added, replaced or removed) between two records, such as
 * `prev.prices` and `next.prices` in a store listener. O(changes between them) when `next` is
 * a later version of the same record as `prev` (any store listener's pair); otherwise it
 * compares every held symbol, like a plain-object diff.
 */
export function changedPrices(prev: PriceRecord, next: PriceRecord): string[] {
  if (prev === next) return []
  const from = versionOf(prev)
  const to = versionOf(next)
  const older = from && to && from.ledger === to.ledger ? logsBetween(from, to) : null
  if (older === null || to === undefined) return compareAll(prev, next)
  const changed: string[] = []
  for (const [key, old] of older) if (old !== read(to, key)) changed.push(key)
  return changed
}

/** Per symbol changed from `from` to `to`, its value at `from`; null when the chain is cut. */
function logsBetween(from: Version, to: Version): Map<string, PriceTick | undefined> | null {
  const older = new Map<string, PriceTick | undefined>()
  if (from.id > to.id) return null
  for (let at = from; at !== to;) {
    if (!at.undo) return null
    if (at.id + 1 === to.id) {
      // One write apart (the listener's case) even where the chain was cut at a checkpoint.
      if (older.size === 0) return at.undo
      for (const [key, value] of at.undo) if (!older.has(key)) older.set(key, value)
      return older
    }
    for (const [key, value] of at.undo) if (!older.has(key)) older.set(key, value)
    if (!at.next) return null
    at = at.next
  }
  return older
}

const hasOwn = Object.prototype.hasOwnProperty

function compareAll(prev: PriceRecord, next: PriceRecord): string[] {
  const changed: string[] = []
  for (const key of Object.keys(next))
    if (!hasOwn.call(prev, key) || prev[key] !== next[key]) changed.push(key)
  for (const key of Object.keys(prev)) if (!hasOwn.call(next, key)) changed.push(key)
  return changed
}

/** Whether `value` is a view made here (tests, and writers choosing their path). */
export function isPriceRecord(value: unknown): value is PriceRecord {
  return (
    typeof value === 'object' && value !== null && versionOf(value as PriceRecord) !== undefined
  )
}
