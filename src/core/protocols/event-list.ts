import type { InboundEvent, InboundSink, TickData } from './types'

/**
 * A sink that collects what the allocation-free `decodeInto` path hands over as the event
 * objects of `decode` and `readFrame`, for callers that want arrays (tests, tools, the
 * benchmark's decode-and-validate stage).
 */
export class EventList implements InboundSink {
  readonly events: InboundEvent[] = []
  tick(
    type: 'snapshot' | 'delta',
    symbol: string,
    seq: number,
    ts: number | undefined,
    data: TickData,
  ): void {
    this.events.push(
      ts === undefined ? { type, symbol, seq, data } : { type, symbol, seq, ts, data },
    )
  }
  event(event: InboundEvent): void {
    this.events.push(event)
  }
}
