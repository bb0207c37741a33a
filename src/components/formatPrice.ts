/**
 * The `Intl.NumberFormat`s of `PriceFlash`, one per locale and digits, shared by every cell.
 *
 * Building a NumberFormat resolves the locale and loads its data, which costs far more than
 * formatting with one; a board of 500 cells with the same props needs one instance, not 500.
 */

/** Locale argument of `Intl.NumberFormat`, as `PriceFlash` takes it. */
export type PriceLocale = string | readonly string[] | undefined

/**
 * More distinct formats than any page shows: past this the oldest is dropped, so an app that
 * builds locales from user input cannot grow the cache without bound.
 */
const MAX_FORMATS = 64
const formats = new Map<string, Intl.NumberFormat>()

/**
 * The shared formatter for a locale (or list, or `undefined` for the browser's) and fraction
 * digits. When `maximumFractionDigits` is below the minimum the minimum wins, since
 * `Intl.NumberFormat` throws on that pair. An invalid locale tag throws `RangeError`, as
 * `Intl.NumberFormat` does.
 */
export function priceFormat(
  locale: PriceLocale,
  minimumFractionDigits: number,
  maximumFractionDigits: number,
): Intl.NumberFormat {
  const maximum = Math.max(minimumFractionDigits, maximumFractionDigits)
  // BCP 47 tags never contain a comma or a bar, so the key cannot collide.
  const tags = typeof locale === 'string' ? locale : (locale?.join(',') ?? '')
  const key = `${tags}|${minimumFractionDigits}|${maximum}`
  let format = formats.get(key)
  if (format === undefined) {
    format = new Intl.NumberFormat(tags === '' ? undefined : tags.split(','), {
      minimumFractionDigits,
      maximumFractionDigits: maximum,
    })
    if (formats.size >= MAX_FORMATS) {
      const oldest = formats.keys().next()
      if (oldest.done !== true) formats.delete(oldest.value)
    }
    formats.set(key, format)
  }
  return format
}

/** A stable key for a locale prop: an array literal is a new object on every render. */
export function localeKey(locale: PriceLocale): string {
  return typeof locale === 'string' ? locale : (locale?.join(',') ?? '')
}
