import { statusForHealth } from "@/lib/players/health-rules";
import type { PlayerStatus } from "@/lib/players/health-rules";

const labels: Record<PlayerStatus, string> = { alive: "alive", mortally_wounded: "mortally wounded", dead: "dead" };

export function StatusBadge({ status }: { status: PlayerStatus }) {
  return <span className={`badge status-${status}`}>{labels[status]}</span>;
}

/** Health as a bar from the floor to maxHealth, with the number beside it. */
export function HealthBar({ health, maxHealth, floor }: { health: number; maxHealth: number; floor: number }) {
  const fraction = Math.max(0, Math.min(1, health / maxHealth));
  const status = statusForHealth(health, floor);
  const tone = status === "dead" ? "dead" : status === "mortally_wounded" ? "wounded" : fraction < 0.3 ? "low" : "ok";
  return (
    <span className="health">
      <span className="health-bar" role="img" aria-label={`${health} of ${maxHealth} health`}>
        <span className={`health-fill ${tone}`} style={{ width: `${fraction * 100}%` }} />
      </span>
      <span className="num">
        {health} / {maxHealth}
      </span>
    </span>
  );
}
