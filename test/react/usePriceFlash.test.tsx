import { act, render, renderHook } from '@testing-library/react'
import { Profiler } from 'react'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { usePriceFlash } from '../../src/react'

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

function flashOf(initial: number | undefined, flashMs?: number) {
  return renderHook(
    ({ value }: { value: number | undefined }) =>
      usePriceFlash(value, flashMs === undefined ? {} : { flashMs }),
    { initialProps: { value: initial } },
  )
}

describe('usePriceFlash', () => {
  it('does not flash for the first value', () => {
    const { result } = flashOf(100)
    expect(result.current).toBeNull()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('shows up for 700 ms by default after a rise, then clears at the next frame', () => {
    const { result, rerender } = flashOf(100)
    rerender({ value: 101 })
    expect(result.current).toBe('up')
    act(() => void vi.advanceTimersByTime(699))
    expect(result.current).toBe('up')
    // The first animation frame at or after the deadline ends it (frames are 16 ms apart here).
    act(() => void vi.advanceTimersToNextFrame())
    expect(result.current).toBeNull()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('shows down after a fall, for flashMs', () => {
    const { result, rerender } = flashOf(100, 200)
    rerender({ value: 99.5 })
    expect(result.current).toBe('down')
    act(() => void vi.advanceTimersByTime(199))
    expect(result.current).toBe('down')
    act(() => void vi.advanceTimersToNextFrame())
    expect(result.current).toBeNull()
  })

  it('restarts on consecutive changes, also in the same direction', () => {
    const { result, rerender } = flashOf(100)
    rerender({ value: 101 })
    act(() => void vi.advanceTimersByTime(500))
    rerender({ value: 102 })
    expect(result.current).toBe('up')
    act(() => void vi.advanceTimersByTime(500))
    // 1,000 ms after the first change, 500 after the second: still showing.
    expect(result.current).toBe('up')
    rerender({ value: 99 })
    expect(result.current).toBe('down')
    act(() => void vi.advanceTimersByTime(699))
    expect(result.current).toBe('down')
    act(() => void vi.advanceTimersToNextFrame())
    expect(result.current).toBeNull()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('ignores renders with an unchanged value, undefined and NaN', () => {
    const { result, rerender } = flashOf(undefined)
    rerender({ value: 100 })
    expect(result.current).toBeNull()
    rerender({ value: 100 })
    expect(result.current).toBeNull()
    rerender({ value: Number.NaN })
    expect(result.current).toBeNull()
    rerender({ value: 101 })
    expect(result.current).toBeNull()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('ends the flashes of many cells with one frame loop and one commit, no timer per cell', () => {
    let commits = 0
    function Cell({ value }: { value: number }): ReactNode {
      const flash = usePriceFlash(value)
      return <li data-flash={flash ?? 'none'}>{value}</li>
    }
    const tree = (offset: number): ReactNode => (
      <Profiler id="board" onRender={() => (commits += 1)}>
        <ul>
          {Array.from({ length: 50 }, (_, i) => (
            <Cell key={i} value={i + offset} />
          ))}
        </ul>
      </Profiler>
    )
    const view = render(tree(0))
    view.rerender(tree(1))
    const flashes = () =>
      [...view.container.querySelectorAll('li')].map((li) => li.getAttribute('data-flash'))
    expect(new Set(flashes())).toEqual(new Set(['up']))
    // Fifty flashes in progress, one pending animation frame between them.
    expect(vi.getTimerCount()).toBe(1)
    commits = 0
    act(() => void vi.advanceTimersByTime(720))
    expect(new Set(flashes())).toEqual(new Set(['none']))
    expect(commits).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('clears its timer on unmount', () => {
    const { rerender, unmount } = flashOf(100)
    rerender({ value: 101 })
    expect(vi.getTimerCount()).toBe(1)
    unmount()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('starts a flash in the same commit as the new value', () => {
    let commits = 0
    function Cell({ value }: { value: number }): ReactNode {
      const flash = usePriceFlash(value)
      return <span data-flash={flash ?? 'none'}>{value}</span>
    }
    const tree = (value: number): ReactNode => (
      <Profiler id="cell" onRender={() => (commits += 1)}>
        <Cell value={value} />
      </Profiler>
    )
    const view = render(tree(100))
    commits = 0
    view.rerender(tree(101))
    expect(commits).toBe(1)
    expect(view.container.querySelector('span')).toHaveAttribute('data-flash', 'up')
    expect(view.container.querySelector('span')).toHaveTextContent('101')
  })
})
