/**
 * A tiny inline SVG line. Tables draw two per row, so this stays a plain <svg> rather than a recharts
 * chart: a few hundred recharts instances cost far more to mount than the table itself.
 */
export function Sparkline({
  values,
  color,
  label,
  width = 96,
  height = 24,
}: {
  values: readonly (number | null)[];
  color: string;
  label: string;
  width?: number;
  height?: number;
}) {
  const present = values.filter((v): v is number => v !== null);
  const max = present.length > 0 ? Math.max(...present) : 0;
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const y = (v: number) => (max === 0 ? height - 1 : height - 1 - (v / max) * (height - 2));
  // Empty buckets break the line rather than drawing it down to zero (no data is not "fast").
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length > 0) segments.push(current.join(' '));
      current = [];
    } else current.push(`${(i * step).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (current.length > 0) segments.push(current.join(' '));
  return (
    <svg width={width} height={height} role="img" aria-label={label} className="overflow-visible">
      {segments.map((points) =>
        points.includes(' ') ? (
          <polyline key={points} points={points} fill="none" stroke={color} strokeWidth={1.5} />
        ) : (
          <circle key={points} cx={points.split(',')[0]} cy={points.split(',')[1]} r={1.5} fill={color} />
        ),
      )}
    </svg>
  );
}
