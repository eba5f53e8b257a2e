/** The lab accessory's mDNS responder (RFC 6762 / 6763) with the lab's "mDNS oddities" fault switches. */
export { createMdnsResponder } from './responder'
export type { MdnsInterfaceConfig, MdnsOddities, MdnsResponder, MdnsResponderEvent, MdnsResponderOptions } from './types'
export { oddTxtStrings, walkRecords, decodeRecordAt, setQuBits, MDNS_GROUP_V4, MDNS_GROUP_V6, MDNS_PORT } from './wire'
