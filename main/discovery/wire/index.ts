/**
 * The mDNS wire layer: a tolerant message decoder, DNS names, and the RFC 6763 TXT model.
 */
export { CACHE_FLUSH_BIT, QU_BIT, decodeMessage, isMdnsQueryAcceptable, isMdnsResponseAcceptable } from './message'
export {
  HEADER_OCTETS, MAX_POINTER_HOPS, nameKey, namesEqual, readName, type CachedSuffix, type NameCache, type NameLike, type NameRead,
} from './names'
export {
  MAX_LABEL_OCTETS, MAX_NAME_OCTETS, encodeName, labelToText, labelsToText, nameFromLabels, parseName, wireLength, type NameTextError,
} from './presentation'
export {
  encodeTxt, parseTxt, txtGet, type TxtEncodeError, type TxtEncodeResult, type TxtEntry, type TxtIgnored, type TxtInput, type TxtRecord,
} from './txt'
export * from './types'
