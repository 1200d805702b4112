/**
 * Ledger markers differ by shape as well as colour (colour alone fails readers who cannot tell red
 * from green): damage points down, heal points up, a correction is a diamond, a respawn a square.
 */
export type MarkerShape = "down" | "up" | "diamond" | "square" | "circle";

// Restores and reverts are support's corrections too: same shape and colour as a correction.
const shapes: Record<string, MarkerShape> = { damage: "down", heal: "up", correction: "diamond", restore: "diamond", revert: "diamond", respawn: "square", save: "circle", experience: "circle" };

export function markerShape(reason: string): MarkerShape {
  return shapes[reason] ?? "circle";
}

export function markerPath(shape: MarkerShape, cx: number, cy: number, r: number): string {
  switch (shape) {
    case "down":
      return `M${cx - r * 1.2},${cy - r} L${cx + r * 1.2},${cy - r} L${cx},${cy + r * 1.1} Z`;
    case "up":
      return `M${cx - r * 1.2},${cy + r} L${cx + r * 1.2},${cy + r} L${cx},${cy - r * 1.1} Z`;
    case "diamond":
      return `M${cx},${cy - r * 1.4} L${cx + r * 1.4},${cy} L${cx},${cy + r * 1.4} L${cx - r * 1.4},${cy} Z`;
    case "square":
      return `M${cx - r},${cy - r} h${2 * r} v${2 * r} h${-2 * r} Z`;
    case "circle":
      return `M${cx - r},${cy} a${r},${r} 0 1,0 ${2 * r},0 a${r},${r} 0 1,0 ${-2 * r},0`;
  }
}

/** The legend's sample of a marker, drawn with the same path as on the chart. */
export function MarkerSwatch({ reason, color }: { reason: string; color: string }) {
  return (
    <svg className="marker-swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
      <path d={markerPath(markerShape(reason), 7, 7, 5)} fill={color} stroke="var(--bg)" strokeWidth={1} />
    </svg>
  );
}
