/** One entry of the package: its import path and its source file. */
export interface ApiEntry {
  id: string
  file: string
}

/** One member of an exported interface or object type. */
export interface ApiMember {
  name: string
  doc: string
  optional: boolean
  defaultValue: string | undefined
}

/** One export of one entry, as the API reference lists it. */
export interface ApiExport {
  entry: string
  name: string
  kind: 'component' | 'hook' | 'function' | 'class' | 'interface' | 'type' | 'const' | 'export'
  /** True for type-only exports (interfaces and type aliases). */
  isType: boolean
  /** The first paragraph of its TSDoc. */
  summary: string
  members: ApiMember[]
}

/** The package's entries. */
export const ENTRIES: readonly ApiEntry[]
/** Every runtime and type export of every entry, read through the TypeScript compiler API. */
export function listExports(): ApiExport[]
/** The markdown of docs/API.md below its title. */
export function renderReference(exports?: ApiExport[]): string
