/** A small inline SVG chart: critical and high functions per scan. */
export function TrendChart({ points }: { points: { scanId: number; startedAt: string; critical: number; high: number; functions: number }[] }) {
  if (points.length < 2) return <p className="muted">One scan so far: the trend appears after the next scan.</p>;
  const width = 520;
  const height = 140;
  const pad = 28;
  const max = Math.max(1, ...points.map((p) => p.critical + p.high));
  const x = (i: number) => pad + (i * (width - 2 * pad)) / (points.length - 1);
  const y = (v: number) => height - pad - (v / max) * (height - 2 * pad);
  const line = (pick: (p: (typeof points)[number]) => number) => points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(pick(p)).toFixed(1)}`).join(" ");
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="trend" role="img" aria-label="Critical and high risk functions per scan">
      <line x1={pad} y1={height - pad} x2={width - pad} y2={height - pad} stroke="#c9ced6" />
      <path d={line((p) => p.critical + p.high)} fill="none" stroke="#c2410c" strokeWidth="2" />
      <path d={line((p) => p.critical)} fill="none" stroke="#a3112e" strokeWidth="2" />
      {points.map((p, i) => (
        <g key={p.scanId}>
          <circle cx={x(i)} cy={y(p.critical + p.high)} r="3" fill="#c2410c">
            <title>{`Scan #${p.scanId}: ${p.critical} critical, ${p.high} high of ${p.functions}`}</title>
          </circle>
          <text x={x(i)} y={height - 8} fontSize="10" textAnchor="middle" fill="#5d6673">
            #{p.scanId}
          </text>
        </g>
      ))}
      <text x={pad} y={14} fontSize="10" fill="#a3112e">
        critical
      </text>
      <text x={pad + 50} y={14} fontSize="10" fill="#c2410c">
        critical + high
      </text>
    </svg>
  );
}
