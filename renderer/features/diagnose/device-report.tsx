/**
 * One device's drill-down: its name (untrusted text), overall status, the measured link quality (chart and
 * figures: loss, median and 95th percentile round trip, jitter, longest gap, spikes, a repeating pattern),
 * and its checks grouped like the host's.
 */
import { useId } from 'react'
import type { DeviceReport, LinkQualityView } from '../../../shared/diagnose/view'
import { formatMs, formatSeconds } from '../monitor/monitor-format'
import { CheckGroups, StatusBadge } from './check-list'
import { formatLinkLoss } from './diagnose-format'
import { LinkChart } from './link-chart'

function LinkFigures({ link }: { link: LinkQualityView }) {
  const { rtt } = link
  return (
    <dl className="facts link-figures">
      <dt>Measured by</dt>
      <dd>{link.method}</dd>
      <dt>Lost</dt>
      <dd>{formatLinkLoss(link)}</dd>
      <dt>Round trip, median</dt>
      <dd>{rtt ? formatMs(rtt.p50) : <span className="muted">No replies</span>}</dd>
      <dt>Round trip, 95th percentile</dt>
      <dd>{rtt ? formatMs(rtt.p95) : <span className="muted">No replies</span>}</dd>
      <dt>Fastest and slowest</dt>
      <dd>{rtt ? `${formatMs(rtt.min)} to ${formatMs(rtt.max)}` : <span className="muted">No replies</span>}</dd>
      <dt>Jitter</dt>
      <dd>{link.jitterMs === null ? <span className="muted">Not enough replies</span> : formatMs(link.jitterMs)}</dd>
      <dt>Longest gap</dt>
      <dd>{link.longestGapMs > 0 ? formatSeconds(link.longestGapMs) : 'None'}</dd>
      <dt>Spikes</dt>
      <dd>{link.spikes}</dd>
      <dt>Repeating pattern</dt>
      <dd>{link.periodic ? `About every ${formatSeconds(link.periodic.periodMs)}: ${link.periodic.explanation}` : 'None found'}</dd>
    </dl>
  )
}

function LinkQuality({ link, labelledBy }: { link: LinkQualityView; labelledBy: string }) {
  return (
    <section className="link-quality" aria-labelledby={labelledBy}>
      <div className="check-group-header">
        <h3 id={labelledBy}>Link quality</h3>
        <StatusBadge status={link.status} />
      </div>
      <p className="link-summary">{link.summary}</p>
      <LinkChart link={link} />
      <LinkFigures link={link} />
    </section>
  )
}

/** Renders one device's drill-down as a labelled region. */
export function DeviceReportView({ device }: { device: DeviceReport }) {
  const id = useId()
  const title = device.name || device.deviceId
  return (
    <section className="panel device-report" aria-labelledby={`${id}-title`}>
      <div className="panel-header">
        <h2 id={`${id}-title`} className="device-report-title">{title}</h2>
        <StatusBadge status={device.status} />
      </div>
      <p className="muted small">Device <span className="mono">{device.deviceId}</span></p>
      {device.link ? (
        <LinkQuality link={device.link} labelledBy={`${id}-link`} />
      ) : (
        <p className="muted">Link quality was not measured in this run: it is measured only once an address of the device answers.</p>
      )}
      <CheckGroups checks={device.checks} context={title} />
    </section>
  )
}
