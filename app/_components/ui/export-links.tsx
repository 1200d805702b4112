import { queryString } from "@/app/_lib/api-client";

/**
 * CSV and JSON downloads of what the page lists, with its current filters. Plain links: the browser
 * streams the file to disk (the server writes it page by page) and sends the session cookie itself.
 */
export function ExportLinks({ path, filters, what }: { path: string; filters: Record<string, string | undefined>; what: string }) {
  return (
    <span className="export-links" role="group" aria-label={`Download ${what}`}>
      <a className="button secondary" href={`${path}${queryString({ ...filters, format: "csv" })}`} download>
        CSV
      </a>
      <a className="button secondary" href={`${path}${queryString({ ...filters, format: "json" })}`} download>
        JSON
      </a>
    </span>
  );
}
