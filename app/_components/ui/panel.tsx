import type { ReactNode } from "react";

interface PanelProps {
  title: string;
  actions?: ReactNode;
  /** The query's state: the panel shows loading / error / empty itself, so no panel forgets them. */
  state?: { isPending: boolean; error: Error | null; isEmpty?: boolean; emptyText?: string };
  className?: string;
  /** An anchor, so a tile can link to the chart that explains it. */
  id?: string;
  children?: ReactNode;
}

export function Panel({ title, actions, state, className, id, children }: PanelProps) {
  let body: ReactNode = children;
  if (state?.isPending) body = <p className="panel-state" role="status">Loading…</p>;
  else if (state?.error) body = <p className="panel-state error" role="alert">Could not load: {state.error.message}</p>;
  else if (state?.isEmpty) body = <p className="panel-state">{state.emptyText ?? "Nothing to show yet."}</p>;
  return (
    <section id={id} className={`panel ${className ?? ""}`} aria-label={title}>
      <div className="panel-header">
        <h2>{title}</h2>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </div>
      <div className="panel-body">{body}</div>
    </section>
  );
}
