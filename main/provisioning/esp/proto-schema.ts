/**
 * The protocomm, wifi_provisioning and esp_local_ctrl .proto files (ESP-IDF v5.x, reference §1.6, §1.10), inline so no .proto
 * file has to ship next to the bundle. Field numbers are the wire contract; keep them byte-exact.
 *
 * All files are proto3 without a package, so they share one namespace as in ESP-IDF's generated code.
 */
import protobuf from 'protobufjs'

const PROTO = `
syntax = "proto3";

// constants.proto
enum Status {
  Success = 0; InvalidSecScheme = 1; InvalidProto = 2; TooManySessions = 3;
  InvalidArgument = 4; InternalError = 5; CryptoError = 6; InvalidSession = 7;
}

// sec0.proto
message S0SessionCmd {}
message S0SessionResp { Status status = 1; }
enum Sec0MsgType { S0_Session_Command = 0; S0_Session_Response = 1; }
message Sec0Payload {
  Sec0MsgType msg = 1;
  oneof payload { S0SessionCmd sc = 20; S0SessionResp sr = 21; }
}

// sec1.proto
message SessionCmd1 { bytes client_verify_data = 2; }
message SessionResp1 { Status status = 1; bytes device_verify_data = 3; }
message SessionCmd0 { bytes client_pubkey = 1; }
message SessionResp0 { Status status = 1; bytes device_pubkey = 2; bytes device_random = 3; }
enum Sec1MsgType { Session_Command0 = 0; Session_Response0 = 1; Session_Command1 = 2; Session_Response1 = 3; }
message Sec1Payload {
  Sec1MsgType msg = 1;
  oneof payload { SessionCmd0 sc0 = 20; SessionResp0 sr0 = 21; SessionCmd1 sc1 = 22; SessionResp1 sr1 = 23; }
}

// sec2.proto
message S2SessionCmd0 { bytes client_username = 1; bytes client_pubkey = 2; }
message S2SessionResp0 { Status status = 1; bytes device_pubkey = 2; bytes device_salt = 3; }
message S2SessionCmd1 { bytes client_proof = 1; }
message S2SessionResp1 { Status status = 1; bytes device_proof = 2; bytes device_nonce = 3; }
enum Sec2MsgType { S2Session_Command0 = 0; S2Session_Response0 = 1; S2Session_Command1 = 2; S2Session_Response1 = 3; }
message Sec2Payload {
  Sec2MsgType msg = 1;
  oneof payload { S2SessionCmd0 sc0 = 20; S2SessionResp0 sr0 = 21; S2SessionCmd1 sc1 = 22; S2SessionResp1 sr1 = 23; }
}

// session.proto
enum SecSchemeVersion { SecScheme0 = 0; SecScheme1 = 1; SecScheme2 = 2; }
message SessionData {
  SecSchemeVersion sec_ver = 2;
  oneof proto { Sec0Payload sec0 = 10; Sec1Payload sec1 = 11; Sec2Payload sec2 = 12; }
}

// wifi_constants.proto
enum WifiStationState { Connected = 0; Connecting = 1; Disconnected = 2; ConnectionFailed = 3; }
enum WifiConnectFailedReason { AuthError = 0; NetworkNotFound = 1; }
enum WifiAuthMode {
  Open = 0; WEP = 1; WPA_PSK = 2; WPA2_PSK = 3; WPA_WPA2_PSK = 4; WPA2_ENTERPRISE = 5; WPA3_PSK = 6; WPA2_WPA3_PSK = 7;
}
message WifiAttemptFailed { uint32 attempts_remaining = 1; }
message WifiConnectedState { string ip4_addr = 1; WifiAuthMode auth_mode = 2; bytes ssid = 3; bytes bssid = 4; int32 channel = 5; }

// wifi_config.proto
enum WiFiConfigMsgType {
  TypeCmdGetStatus = 0; TypeRespGetStatus = 1; TypeCmdSetConfig = 2;
  TypeRespSetConfig = 3; TypeCmdApplyConfig = 4; TypeRespApplyConfig = 5;
}
message CmdGetStatus {}
message RespGetStatus {
  Status status = 1;
  WifiStationState sta_state = 2;
  oneof state { WifiConnectFailedReason fail_reason = 10; WifiConnectedState connected = 11; WifiAttemptFailed attempt_failed = 12; }
}
message CmdSetConfig { bytes ssid = 1; bytes passphrase = 2; bytes bssid = 3; int32 channel = 4; }
message RespSetConfig { Status status = 1; }
message CmdApplyConfig {}
message RespApplyConfig { Status status = 1; }
message WiFiConfigPayload {
  WiFiConfigMsgType msg = 1;
  oneof payload {
    CmdGetStatus cmd_get_status = 10; RespGetStatus resp_get_status = 11; CmdSetConfig cmd_set_config = 12;
    RespSetConfig resp_set_config = 13; CmdApplyConfig cmd_apply_config = 14; RespApplyConfig resp_apply_config = 15;
  }
}

// wifi_scan.proto
enum WiFiScanMsgType {
  TypeCmdScanStart = 0; TypeRespScanStart = 1; TypeCmdScanStatus = 2;
  TypeRespScanStatus = 3; TypeCmdScanResult = 4; TypeRespScanResult = 5;
}
message CmdScanStart { bool blocking = 1; bool passive = 2; uint32 group_channels = 3; uint32 period_ms = 4; }
message RespScanStart {}
message CmdScanStatus {}
message RespScanStatus { bool scan_finished = 1; uint32 result_count = 2; }
message CmdScanResult { uint32 start_index = 1; uint32 count = 2; }
message WiFiScanResult { bytes ssid = 1; uint32 channel = 2; int32 rssi = 3; bytes bssid = 4; WifiAuthMode auth = 5; }
message RespScanResult { repeated WiFiScanResult entries = 1; }
message WiFiScanPayload {
  WiFiScanMsgType msg = 1;
  Status status = 2;
  oneof payload {
    CmdScanStart cmd_scan_start = 10; RespScanStart resp_scan_start = 11; CmdScanStatus cmd_scan_status = 12;
    RespScanStatus resp_scan_status = 13; CmdScanResult cmd_scan_result = 14; RespScanResult resp_scan_result = 15;
  }
}

// wifi_ctrl.proto (v5.1+)
enum WiFiCtrlMsgType { TypeCtrlReserved = 0; TypeCmdCtrlReset = 1; TypeRespCtrlReset = 2; TypeCmdCtrlReprov = 3; TypeRespCtrlReprov = 4; }
message CmdCtrlReset {}
message RespCtrlReset {}
message CmdCtrlReprov {}
message RespCtrlReprov {}
message WiFiCtrlPayload {
  WiFiCtrlMsgType msg = 1;
  Status status = 2;
  oneof payload { CmdCtrlReset cmd_ctrl_reset = 11; RespCtrlReset resp_ctrl_reset = 12; CmdCtrlReprov cmd_ctrl_reprov = 13; RespCtrlReprov resp_ctrl_reprov = 14; }
}

// esp_local_ctrl.proto (on-network control of a provisioned device, advertised as _esp_local_ctrl._tcp)
message CmdGetPropertyCount {}
message RespGetPropertyCount { Status status = 1; uint32 count = 2; }
message PropertyInfo { Status status = 1; string name = 2; uint32 type = 3; uint32 flags = 4; bytes value = 5; }
message CmdGetPropertyValues { repeated uint32 indices = 1; }
message RespGetPropertyValues { Status status = 1; repeated PropertyInfo props = 2; }
message PropertyValue { uint32 index = 1; bytes value = 2; }
message CmdSetPropertyValues { repeated PropertyValue props = 1; }
message RespSetPropertyValues { Status status = 1; }
enum LocalCtrlMsgType {
  TypeCmdGetPropertyCount = 0; TypeRespGetPropertyCount = 1; TypeCmdGetPropertyValues = 4;
  TypeRespGetPropertyValues = 5; TypeCmdSetPropertyValues = 6; TypeRespSetPropertyValues = 7;
}
message LocalCtrlMessage {
  LocalCtrlMsgType msg = 1;
  oneof payload {
    CmdGetPropertyCount cmd_get_prop_count = 10; RespGetPropertyCount resp_get_prop_count = 11;
    CmdGetPropertyValues cmd_get_prop_vals = 12; RespGetPropertyValues resp_get_prop_vals = 13;
    CmdSetPropertyValues cmd_set_prop_vals = 14; RespSetPropertyValues resp_set_prop_vals = 15;
  }
}
`

/** The top-level messages the endpoints exchange. */
export type EspMessageName = 'SessionData' | 'WiFiConfigPayload' | 'WiFiScanPayload' | 'WiFiCtrlPayload' | 'LocalCtrlMessage'

let root: protobuf.Root | undefined

/** Looks up a message type; the schema is parsed once, on first use (it is immutable data). */
export function espMessageType(name: EspMessageName): protobuf.Type {
  root ??= protobuf.parse(PROTO).root
  return root.lookupType(name)
}

/** Numeric values of an enum in the schema, e.g. `espEnumValues('Status')`. */
export function espEnumValues(name: string): ReadonlySet<number> {
  root ??= protobuf.parse(PROTO).root
  return new Set(Object.values(root.lookupEnum(name).values))
}
