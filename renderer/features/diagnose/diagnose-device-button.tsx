/** "Diagnose" for a discovered device: chooses it on the Diagnose screen, opens that screen and runs the checks. */
import { useAppStore } from '../../store'
import { useOpenScreen } from '../shell/use-open-screen'

/** Props of DiagnoseDeviceButton. */
export interface DiagnoseDeviceButtonProps {
  deviceId: string
  /** Id of the element naming the device, so the button reads "Diagnose, Porch Lamp". */
  describedBy?: string
}

/** Renders the button. */
export function DiagnoseDeviceButton({ deviceId, describedBy }: DiagnoseDeviceButtonProps) {
  const diagnose = useAppStore((s) => s.diagnoseDevice)
  const open = useOpenScreen()
  const start = () => {
    void diagnose(deviceId)
    open('diagnose')
  }
  return (
    <div className="detail-actions diagnose-device-action">
      <button type="button" className="button-quiet" onClick={start} aria-describedby={describedBy}>Diagnose</button>
    </div>
  )
}
