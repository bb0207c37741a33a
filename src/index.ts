'use client'
/**
 * `tickwire`: live market prices in React. The provider and hooks, the components, and the
 * framework-free core they are built on, from one import. Nothing runs at import time, so this
 * entry is safe in server rendering; the `'use client'` directive above marks it as a client
 * module for React Server Components bundlers.
 *
 * @example
 * ```tsx
 * import { StreamProvider, usePriceStream, ConnectionStatus } from 'tickwire'
 * ```
 *
 * @packageDocumentation
 */

export * from './react'
export * from './components'
export * from './core'

// Two things are called ConnectionStatus: the status pill (a component, from ./components) and
// the union of status strings (a type, from ./core). One name cannot carry both in a module's
// exports, so here the component keeps it, as docs/guides/components.md shows
// `<ConnectionStatus />`, and the type is also available as `StreamStatus`. `tickwire/core`
// still exports the type under its name.
export { ConnectionStatus } from './components'
export type { ConnectionStatus as StreamStatus } from './core'
