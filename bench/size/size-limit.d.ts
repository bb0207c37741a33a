// size-limit and its presets ship JavaScript without types for the API used here: these
// declarations cover exactly the calls bench/size/run.ts makes.
declare module 'size-limit' {
  /** One check as size-limit's `calc` reads it (after its CLI config step). */
  export interface SizeLimitCheck {
    name?: string
    files: string[]
    /** Absolute module path -> import clause (`'*'` for everything). */
    import?: Record<string, string>
    ignore?: string[]
    gzip?: boolean
    brotli?: boolean
  }
  /** Runs the plugins over the checks; returns one `{ size }` (bytes) per check. */
  export default function sizeLimit(
    plugins: readonly unknown[],
    config: { checks: SizeLimitCheck[] },
  ): Promise<{ size?: number }[]>
}
declare module '@size-limit/preset-small-lib' {
  const plugins: unknown[]
  export default plugins
}
