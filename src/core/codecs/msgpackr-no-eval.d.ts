// msgpackr ships its no-eval decoder as plain CommonJS without types; this is the one function used.
declare module 'msgpackr/unpack-no-eval' {
  /** Decodes one MessagePack value; throws on malformed input. Never generates code. */
  export function unpack(data: Uint8Array): unknown
}
