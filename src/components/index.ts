export { ConnectionStatus } from './ConnectionStatus'
export type { ConnectionStatusProps } from './ConnectionStatus'
export { ConnectionIndicator } from './ConnectionIndicator'
export type { ConnectionIndicatorProps } from './ConnectionIndicator'
export { PriceFlash } from './PriceFlash'
export type {
  PriceField,
  PriceFlashCommonProps,
  PriceFlashConnectedProps,
  PriceFlashControlledProps,
  PriceFlashProps,
  PriceFlashStyle,
} from './PriceFlash'
export { DEFAULT_DELAYED_AFTER_MS, STATUS_KINDS, STATUS_LABELS, statusKind } from './statusView'
export type { StatusKind, StatusKindOptions } from './statusView'
export type { ConnectionMap, StatusSourceProps } from './connectionData'
export { ConnectionStatusCard } from './ConnectionStatusCard'
export type { CardHeadingLevel, ConnectionStatusCardProps } from './ConnectionStatusCard'
export type { CardConnectionInfo } from './statusCardRows'
export type { SymbolsByConnection } from './useStatusCardData'
