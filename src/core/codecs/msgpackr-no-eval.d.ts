// msgpackr ships its no-eval build as plain CommonJS without types; these are the two functions used.
declare module 'msgpackr/index-no-eval' {
  /** Decodes one MessagePack value; throws on malformed input. Never generates code. */
  export function unpack(data: Uint8Array): unknown
  /** Encodes one value as MessagePack. */
  export function pack(value: unknown): Uint8Array
}

// The decoder alone, as the bench and the fuzz oracle use it.
declare module 'msgpackr/unpack-no-eval' {
  /** Decodes one MessagePack value; throws on malformed input. Never generates code. */
  export function unpack(data: Uint8Array): unknown
}
