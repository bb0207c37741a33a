/**
 * permessage-deflate (RFC 7692) for the feed server's WebSocket endpoint: what the option of
 * `createFeedServer` turns into for `ws`. Kept apart so the server's wiring stays one line.
 */
import type { PerMessageDeflateOptions } from 'ws'
import type { FeedServerOptions } from './types'

/**
 * Frames below this many bytes go out uncompressed: `welcome`, `pong`, errors and a lone
 * small delta gain a few bytes at most, and each compressed frame costs a zlib call.
 */
export const DEFAULT_COMPRESSION_THRESHOLD = 128

/**
 * zlib level 1 (fastest): price frames repeat the same keys and symbols, which even the
 * fastest level finds through the shared window, while higher levels cost CPU on every frame.
 */
export const DEFAULT_COMPRESSION_LEVEL = 1

function settings(option: FeedServerOptions['compression']) {
  return option === true || option === undefined || option === false ? {} : option
}

/**
 * The `perMessageDeflate` setting of the `ws` server for a `compression` option. Only clients
 * that offer the extension get it (browsers always do); others get plain frames. Context
 * takeover stays on: it is what makes small, similar frames compress well.
 */
export function perMessageDeflate(
  option: FeedServerOptions['compression'],
): PerMessageDeflateOptions | false {
  if (option === false) return false
  return { zlibDeflateOptions: { level: settings(option).level ?? DEFAULT_COMPRESSION_LEVEL } }
}

/**
 * The smallest frame a session asks `ws` to compress. It is applied per send because `ws`
 * honours its own `threshold` only when context takeover is off, and compresses every frame
 * otherwise.
 */
export function compressMinBytes(option: FeedServerOptions['compression']): number {
  return settings(option).thresholdBytes ?? DEFAULT_COMPRESSION_THRESHOLD
}
