export interface Bar {
  label: string;
  value: number;
  /** A second value drawn as an outline behind the bar (a target, an envelope). */
  reference?: number;
  /** The value as said in words (money, percentage); defaults to the number. */
  text?: string;
  referenceText?: string;
}

/**
 * A horizontal bar chart in SVG that is also readable without sight (RGAA 1.x): the figure is an image
 * whose alternative is the table beneath it (always in the page; visible, not hidden), so the numbers
 * are reachable by keyboard and screen reader and the bars are only a picture of them.
 */
export function BarChart({ title, bars, valueLabel, referenceLabel, id }: { title: string; bars: readonly Bar[]; valueLabel: string; referenceLabel?: string; id: string }) {
  const max = Math.max(1, ...bars.map((b) => Math.max(b.value, b.reference ?? 0)));
  const rowHeight = 28;
  const labelWidth = 0; // labels are in the table; the picture keeps to the bars
  const width = 320;
  return (
    <figure className="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <svg role="img" aria-labelledby={`${id}-caption`} aria-describedby={`${id}-table`} viewBox={`0 0 ${width} ${Math.max(1, bars.length) * rowHeight}`} preserveAspectRatio="none" className="chart-bars">
        {bars.map((bar, i) => {
          const y = i * rowHeight + 4;
          const w = ((width - labelWidth) * bar.value) / max;
          const r = bar.reference === undefined ? undefined : ((width - labelWidth) * bar.reference) / max;
          return (
            <g key={i}>
              {r !== undefined && <rect x={labelWidth} y={y} width={r} height={rowHeight - 8} className="bar-reference" />}
              <rect x={labelWidth} y={y + 4} width={w} height={rowHeight - 16} className="bar-value" />
            </g>
          );
        })}
      </svg>
      <table id={`${id}-table`} className="chart-table">
        <thead>
          <tr>
            <th scope="col">{title}</th>
            <th scope="col">{valueLabel}</th>
            {referenceLabel && <th scope="col">{referenceLabel}</th>}
          </tr>
        </thead>
        <tbody>
          {bars.map((bar, i) => (
            <tr key={i}>
              <th scope="row">{bar.label}</th>
              <td>{bar.text ?? bar.value}</td>
              {referenceLabel && <td>{bar.referenceText ?? bar.reference ?? '—'}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
