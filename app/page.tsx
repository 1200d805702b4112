import { getAppContext } from "@/lib/runtime/app-context";
import { listPlayers } from "@/lib/persistence/list-players";

// Rendered per request: it shows live player state.
export const dynamic = "force-dynamic";

export default async function HomePage() {
  const { persistence } = getAppContext();
  const page = await listPlayers(persistence, { limit: 50 });
  return (
    <main style={{ padding: 24, maxWidth: 1100, margin: "0 auto" }}>
      <h1>Pnakotic</h1>
      <p style={{ color: "var(--muted)" }}>{page.total} players</p>
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th className="num">Health</th>
            <th>Status</th>
            <th className="num">XP</th>
            <th className="num">Level</th>
            <th className="num">Version</th>
          </tr>
        </thead>
        <tbody>
          {page.items.map((player) => (
            <tr key={player.id}>
              <td>{player.name}</td>
              <td className="num">
                {player.health} / {player.maxHealth}
              </td>
              <td>{player.status.replace("_", " ")}</td>
              <td className="num">{player.experiencePoints}</td>
              <td className="num">{player.level}</td>
              <td className="num">{player.version}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
