import { afterAll, beforeAll, inject } from 'vitest'
import { createFreshApp, type FreshApp } from './freshApp'

/**
 * The fresh app for this test file: the global setup's when it ran, else one of the file's own
 * (made in `beforeAll`, removed in `afterAll`). Read `.dir` inside tests, not at import.
 */
export function sharedFreshApp(): { readonly dir: string } {
  let own: FreshApp | undefined
  let dir: string | undefined = inject('tickwireFreshApp')
  beforeAll(async () => {
    if (dir !== undefined) return
    own = await createFreshApp()
    dir = own.dir
  }, 240_000)
  afterAll(() => own?.dispose())
  return {
    get dir() {
      if (dir === undefined) throw new Error('the fresh app is not ready: read it inside a test')
      return dir
    },
  }
}
