/**
 * Global setup of the `package` Vitest project: one packed tarball and one installed, built
 * fresh app for both package tests (installing twice would double the run's longest step).
 */
import type { TestProject } from 'vitest/node'
import { createFreshApp } from './freshApp'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The fresh app's folder (see freshApp.ts); absent when the setup did not run. */
    tickwireFreshApp: string
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const app = await createFreshApp()
  project.provide('tickwireFreshApp', app.dir)
  return () => app.dispose()
}
