import Link from "next/link";

/** A figure with its label; with `href` the whole tile links to the page that explains it. */
/** `window` is the span the figure covers ("now · last 5 min", "last hour"): every tile says it. */
export function Tile({ label, value, hint, window, tone = "neutral", href }: { label: string; value: string; hint?: string; window?: string; tone?: "neutral" | "good" | "warn" | "bad"; href?: string }) {
  const body = (
    <>
      <div className="tile-label">
        {label}
        {window ? <span className="tile-window"> · {window}</span> : null}
      </div>
      <div className="tile-value">{value}</div>
      {hint ? <div className="tile-hint">{hint}</div> : null}
    </>
  );
  return href ? (
    <Link href={href} className={`tile tile-link tone-${tone}`}>
      {body}
    </Link>
  ) : (
    <div className={`tile tone-${tone}`}>{body}</div>
  );
}
