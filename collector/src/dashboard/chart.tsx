/**
 * A daily chart drawn on the server as SVG (no script): bars for one series, a line for another,
 * with a title and a description naming the range and the highest day, so a screen reader says
 * what the picture shows.
 */
export interface ChartPoint {
  date: string;
  bar: number;
  line: number;
}

const W = 720;
const H = 200;
const PAD = { left: 40, right: 10, top: 10, bottom: 24 };

export function DailyChart(props: { id: string; title: string; desc: string; points: ChartPoint[]; label: (date: string) => string; number: (n: number) => string }) {
  const { points } = props;
  const max = Math.max(1, ...points.map((p) => Math.max(p.bar, p.line)));
  const width = W - PAD.left - PAD.right;
  const height = H - PAD.top - PAD.bottom;
  const step = width / Math.max(1, points.length);
  const x = (i: number) => PAD.left + i * step + step / 2;
  const y = (v: number) => PAD.top + height - (v / max) * height;
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.line).toFixed(1)}`).join(' ');
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${props.id}-title ${props.id}-desc`}>
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{props.desc}</desc>
      <line class="axis" x1={PAD.left} x2={W - PAD.right} y1={PAD.top + height} y2={PAD.top + height} />
      <text x={PAD.left - 4} y={PAD.top + 8} text-anchor="end">{props.number(max)}</text>
      <text x={PAD.left - 4} y={PAD.top + height} text-anchor="end">0</text>
      {points.map((p, i) => (
        <rect class="bar" x={(x(i) - step * 0.35).toFixed(1)} width={(step * 0.7).toFixed(1)} y={y(p.bar).toFixed(1)} height={(PAD.top + height - y(p.bar)).toFixed(1)} />
      ))}
      {points.length > 0 && <path class="line" d={line} />}
      {points.length > 0 && (
        <>
          <text x={x(0)} y={H - 6} text-anchor="start">{props.label(points[0]!.date)}</text>
          <text x={x(points.length - 1)} y={H - 6} text-anchor="end">{props.label(points[points.length - 1]!.date)}</text>
        </>
      )}
    </svg>
  );
}
