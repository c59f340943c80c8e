export { MAX_READINGS_PER_REQUEST, READING_LABEL_DESCRIPTION, readingLabels } from "./reading-schema";
export type { Reading, ReadingLabel } from "./reading-schema";
export {
  CAPACITY_TOLERANCE_KWH,
  CAPACITY_TOLERANCE_RELATIVE,
  checkReading,
  DOMESTIC_STORAGE_CEILING_KWH,
  DOMESTIC_SUPPLY_CEILING_KW,
  FUTURE_TOLERANCE_MS,
  POWER_TOLERANCE_KW,
  POWER_TOLERANCE_RELATIVE,
  readingLabelRules,
} from "./check-reading";
export type {
  CheckReadingOptions,
  CheckReadingResult,
  NormalisedReading,
  ReadingAsset,
  ReadingAssetType,
  ReadingErrorCode,
  ReadingFamily,
  ReadingUnit,
} from "./check-reading";
