/** The lab accessory's control/heartbeat service and a minimal client (protocol: PROTOCOL.md). */
export { createControlServer, type ControlServer, type ControlServerEvent, type ControlServerOptions } from './server'
export { createControlClient, type ControlClient, type ControlClientEvent, type ControlClientOptions, type PingResult } from './client'
export {
  CLOSE_CODE,
  createFrameDecoder,
  DEFAULT_MAX_PAYLOAD,
  encodeFrame,
  FRAME_TYPE,
  HEADER_BYTES,
  HELLO_MAGIC,
  PROTOCOL_VERSION,
  type CloseCode,
  type Frame,
  type FrameError,
} from './frames'
