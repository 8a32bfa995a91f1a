import { PALETTE } from "@/lib/palette";

type Point = { scanId: number; startedAt: string; critical: number; high: number; functions: number };

/** Round tick values for an axis from 0 to at least `max`: 0, step, 2·step, … */
function ticks(max: number): number[] {
  const rough = Math.max(1, max) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough;
  const out: number[] = [];
  for (let v = 0; v < max + step; v += step) out.push(v);
  return out;
}

/** Critical and high functions per scan: an inline SVG with labelled axes and each value written out. */
export function TrendChart({ points }: { points: Point[] }) {
  if (points.length < 2) return <p className="muted">One scan so far: the trend appears after the next scan.</p>;
  const width = 560;
  const height = 200;
  const left = 44;
  const right = 16;
  const top = 28;
  const bottom = 40;
  const yTicks = ticks(Math.max(...points.map((p) => p.critical + p.high)));
  const max = yTicks[yTicks.length - 1] || 1;
  // Points stand off the axes, so their values do not sit on the tick labels.
  const inset = 24;
  const x = (i: number) => left + inset + (i * (width - left - right - 2 * inset)) / (points.length - 1);
  const y = (v: number) => height - bottom - (v / max) * (height - top - bottom);
  const line = (pick: (p: Point) => number) => points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(pick(p)).toFixed(1)}`).join(" ");
  const day = (iso: string) => iso.slice(5, 10);
  return (
    <figure className="trend-figure">
      <svg viewBox={`0 0 ${width} ${height}`} className="trend" role="img" aria-label={`Critical and high-risk functions per scan: ${points.map((p) => `scan ${p.scanId}: ${p.critical} critical, ${p.high} high`).join("; ")}`}>
        {/* Y axis: functions, with gridlines at round values */}
        {yTicks.map((v) => (
          <g key={v}>
            <line x1={left} y1={y(v)} x2={width - right} y2={y(v)} stroke={PALETTE.line} />
            <text x={left - 6} y={y(v) + 3} fontSize="10" textAnchor="end" fill={PALETTE.muted}>
              {v}
            </text>
          </g>
        ))}
        <line x1={left} y1={top - 4} x2={left} y2={height - bottom} stroke={PALETTE.muted} />
        <line x1={left} y1={height - bottom} x2={width - right} y2={height - bottom} stroke={PALETTE.muted} />
        <text x={12} y={(top + height - bottom) / 2} fontSize="10" fill={PALETTE.muted} textAnchor="middle" transform={`rotate(-90 12 ${(top + height - bottom) / 2})`}>
          functions
        </text>
        <path d={line((p) => p.critical + p.high)} fill="none" stroke={PALETTE.high} strokeWidth="2" />
        <path d={line((p) => p.critical)} fill="none" stroke={PALETTE.critical} strokeWidth="2" strokeDasharray="5 3" />
        {points.map((p, i) => (
          <g key={p.scanId}>
            <circle cx={x(i)} cy={y(p.critical + p.high)} r="3" fill={PALETTE.high}>
              <title>{`Scan #${p.scanId}: ${p.critical} critical, ${p.high} high of ${p.functions}`}</title>
            </circle>
            <text x={x(i)} y={y(p.critical + p.high) - 7} fontSize="10" textAnchor="middle" fill={PALETTE.high}>
              {p.critical + p.high}
            </text>
            <circle cx={x(i)} cy={y(p.critical)} r="2.5" fill={PALETTE.critical} />
            {p.critical > 0 || i === points.length - 1 ? (
              <text x={x(i)} y={y(p.critical) + 13} fontSize="10" textAnchor="middle" fill={PALETTE.critical}>
                {p.critical}
              </text>
            ) : null}
            {/* X axis: scan number and day */}
            <text x={x(i)} y={height - bottom + 14} fontSize="10" textAnchor="middle" fill={PALETTE.ink}>
              #{p.scanId}
            </text>
            <text x={x(i)} y={height - bottom + 26} fontSize="9" textAnchor="middle" fill={PALETTE.muted}>
              {day(p.startedAt)}
            </text>
          </g>
        ))}
        <g fontSize="10">
          <line x1={left} y1={12} x2={left + 18} y2={12} stroke={PALETTE.high} strokeWidth="2" />
          <text x={left + 22} y={15} fill={PALETTE.ink}>
            critical + high
          </text>
          <line x1={left + 120} y1={12} x2={left + 138} y2={12} stroke={PALETTE.critical} strokeWidth="2" strokeDasharray="5 3" />
          <text x={left + 142} y={15} fill={PALETTE.ink}>
            critical
          </text>
          <text x={width - right} y={15} fill={PALETTE.muted} textAnchor="end">
            scan (date)
          </text>
        </g>
      </svg>
    </figure>
  );
}
